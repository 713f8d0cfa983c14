package dstackcfg

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Int is an integer of a configuration. dstack's integers are Python ints,
// so unbounded: `stop_duration: 99999999999999999999999` is valid. Almost
// every value fits an int64, which Int64 gives; Big gives every value
// exactly, and String its decimal text. The zero Int is 0.
type Int struct {
	small int64
	big   *big.Int // set only when the value does not fit an int64
}

// IntOf is an Int of an int64.
func IntOf(i int64) Int { return Int{small: i} }

// IntOfBig is an Int of a big.Int (copied).
func IntOfBig(b *big.Int) Int {
	if b.IsInt64() {
		return Int{small: b.Int64()}
	}
	return Int{big: new(big.Int).Set(b)}
}

// IsInt64 reports whether the value fits an int64.
func (i Int) IsInt64() bool { return i.big == nil }

// Int64 is the value, clamped to the int64 range when it does not fit.
func (i Int) Int64() int64 {
	if i.big == nil {
		return i.small
	}
	if i.big.Sign() < 0 {
		return math.MinInt64
	}
	return math.MaxInt64
}

// Big is the exact value (a new big.Int).
func (i Int) Big() *big.Int {
	if i.big != nil {
		return new(big.Int).Set(i.big)
	}
	return big.NewInt(i.small)
}

// String is the decimal text.
func (i Int) String() string {
	if i.big != nil {
		return i.big.String()
	}
	return strconv.FormatInt(i.small, 10)
}

// MarshalJSON writes the decimal text.
func (i Int) MarshalJSON() ([]byte, error) { return []byte(i.String()), nil }

// UnmarshalJSON reads a JSON integer of any size.
func (i *Int) UnmarshalJSON(data []byte) error {
	s := string(data)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*i = Int{small: v}
		return nil
	}
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return fmt.Errorf("dstackcfg: not an integer: %s", s)
	}
	*i = IntOfBig(b)
	return nil
}

var _ json.Marshaler = Int{}
