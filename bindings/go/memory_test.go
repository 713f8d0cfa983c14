package dstackcfg

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// rssKiB is the resident set size (Linux); 0 elsewhere.
func rssKiB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return n
		}
	}
	return 0
}

// TestNoCMemoryGrowth: 100,000 parse/Close cycles through the counting
// allocator leave no C memory behind; RSS is printed as a second figure.
func TestNoCMemoryGrowth(t *testing.T) {
	cycles := 100000
	if testing.Short() {
		cycles = 5000
	}
	doc, err := os.ReadFile(example(t, "llm-endpoint.dstack.yml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := []byte("type: service\nport: 70000\n")
	a0, f0, live0 := allocStats()
	var rssWarm int64
	for i := 0; i < cycles; i++ {
		s, err := Parse(doc, withAllocator(countingAllocator()))
		if err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			if _, err := s.JSON(ViewEffective); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		if i%100 == 0 {
			if _, err := Parse(bad, withAllocator(countingAllocator())); err == nil {
				t.Fatal("bad document parsed")
			}
		}
		if i == cycles/10 {
			rssWarm = rssKiB()
		}
	}
	runtime.GC()
	a1, f1, live1 := allocStats()
	rssEnd := rssKiB()
	t.Logf("%d parse/close cycles: %d C allocations, %d frees, live C bytes %d before and %d after; RSS %d KiB after %d cycles, %d KiB at the end",
		cycles, a1-a0, f1-f0, live0, live1, rssWarm, cycles/10, rssEnd)
	if a1-a0 != f1-f0 || live1 != live0 {
		t.Errorf("C memory grew: %d allocations, %d frees, %d bytes live", a1-a0, f1-f0, live1-live0)
	}
	if a1 == a0 {
		t.Error("the counting allocator saw nothing")
	}
	if rssWarm > 0 && rssEnd > rssWarm+64*1024 {
		t.Errorf("RSS grew from %d to %d KiB", rssWarm, rssEnd)
	}
}

// TestFinalizerFrees: a Service dropped without Close is freed by the GC.
func TestFinalizerFrees(t *testing.T) {
	_, _, live0 := allocStats()
	for i := 0; i < 100; i++ {
		if _, err := Parse([]byte(minimal), withAllocator(countingAllocator())); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 20; i++ {
		runtime.GC()
		if _, _, live := allocStats(); live == live0 {
			return
		}
		runtime.Gosched()
	}
	_, _, live := allocStats()
	t.Errorf("finalizers left %d bytes", live-live0)
}

func TestBuilderAllocator(t *testing.T) {
	_, _, live0 := allocStats()
	s, err := newWith(countingAllocator())
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"port", "80"}, {"image", "x"}, {"resources.gpu", "24GB"}} {
		if err := s.SetYAML(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	other := mustParse(t, minimal)
	if _, err := s.Diff(other); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, _, live := allocStats(); live != live0 {
		t.Errorf("builder left %d bytes", live-live0)
	}
}

// TestConcurrentParsing: 8 goroutines parse, read and serialize distinct
// objects at once, and share one Service for reads (run with -race).
func TestConcurrentParsing(t *testing.T) {
	docs := [][]byte{}
	for _, n := range []string{"llm-endpoint.dstack.yml", "autoscaling.dstack.yml", "replica-groups-router.dstack.yml", "tgi-model.dstack.yml"} {
		b, err := os.ReadFile(example(t, n))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	want := make([]string, len(docs))
	for i, d := range docs {
		s, err := Parse(d)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := s.JSON(ViewEffective)
		want[i] = string(j)
		s.Close()
	}
	shared := mustParse(t, string(docs[0]))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				k := (g + i) % len(docs)
				s, err := Parse(docs[k])
				if err != nil {
					errs <- err.Error()
					return
				}
				j, _ := s.JSON(ViewEffective)
				if string(j) != want[k] {
					errs <- "different output under concurrency"
				}
				if _, err := s.Config(); err != nil {
					errs <- err.Error()
				}
				if i%7 == 0 {
					other, _ := Parse(docs[(k+1)%len(docs)])
					if _, err := s.Diff(other); err != nil {
						errs <- err.Error()
					}
					if _, err := other.Diff(shared); err != nil {
						errs <- err.Error()
					}
					other.Close()
				}
				s.Close()
				if _, err := shared.YAML(ViewMinimal); err != nil {
					errs <- err.Error()
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestCloseRacesUse: Close while other goroutines use the Service returns
// ErrClosed to them, never a crash.
func TestCloseRacesUse(t *testing.T) {
	s, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if _, err := s.JSON(ViewDstack); err != nil && err != ErrClosed {
					t.Error(err)
					return
				}
			}
		}()
	}
	s.Close()
	wg.Wait()
}
