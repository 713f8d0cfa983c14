/* Profile area: provisioning fields of the root (backends, retry, schedule,
 * fleets, instances, tags, backend_options, ...), including the cron grammar
 * dstack accepts for `schedule.cron`. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "schema/service/areas.h"

const char *const dcfg__spot_policies[] = { "spot", "on-demand", "auto", NULL };
const char *const dcfg__creation_policies[] = { "reuse", "reuse-or-create", NULL };
const char *const dcfg__startup_orders[] = { "any", "master-first", "workers-first", NULL };
const char *const dcfg__stop_criteria[] = { "all-done", "master-done", NULL };
/* > 0; infinity is accepted, NaN is not */
const dcfg__float_bounds dcfg__max_price_bounds = { 0.0, INFINITY, 1 };

static int is_str(const dcfg__node *n) { return n && n->type == DCFG__STR && !(n->flags & DCFG__NF_NOT_TEXT); }

/* List of `item` values (the field's own key and flags are kept). */
static int parse_list_of(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, const dcfg__field *item,
                         dcfg__node **out)
{
    dcfg__field lf = *f;
    lf.extra = item;
    return dcfg__k_list.parse(c, in, &lf, out);
}

/* Integer >= 0, with no upper limit (Python integers are unbounded). */
static const dcfg__int_bounds nonneg_bounds = { 0, 0, 1 };


/* ---- backends ----------------------------------------------------------------- */

/* One list for the parser and the JSON Schema text. */
#define BACKENDS(X) X(amddevcloud) X(aws) X(azure) X(cloudrift) X(crusoe) X(cudo) X(datacrunch) X(daytona) \
    X(digitalocean) X(dstack) X(gcp) X(hotaisle) X(jarvislabs) X(kubernetes) X(lambda) X(lium) \
    X(remote) X(nebius) X(oci) X(runpod) X(seeweb) X(tensordock) X(vastai) X(verda) X(vultr) X(slurm)
#define AS_STRING(name) #name,
#define AS_JSON(name) "'" #name "',"
static const char *const backend_types[] = { BACKENDS(AS_STRING) NULL };
static const dcfg__field backend_item = { "backend", &dcfg__k_enum, 0, NULL, backend_types, NULL, NULL };

static int parse_backends(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return parse_list_of(c, in, f, &backend_item, out);
}
const dcfg__kind dcfg__k_backends = { "backends", parse_backends,
    "list of backend names (aws, gcp, azure, runpod, vastai, kubernetes, ...)",
    "{'type':'array','items':{'enum':[" BACKENDS(AS_JSON) "]},'examples':[['aws','gcp']]}" };

/* ---- retry -------------------------------------------------------------------- */

static const char *const retry_events[] = { "no-capacity", "interruption", "error", NULL };
static const dcfg__field retry_event_item = { "event", &dcfg__k_enum, 0, NULL, retry_events, NULL, NULL };

static int parse_retry_events(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return parse_list_of(c, in, f, &retry_event_item, out);
}
static const dcfg__kind k_retry_events = { "retry events", parse_retry_events,
    "list of \"no-capacity\", \"interruption\", \"error\"",
    "{'type':'array','items':{'enum':['no-capacity','interruption','error']},'examples':[['no-capacity','interruption']]}" };

static int rule_retry_events(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    if (dcfg__obj_failed(o, "on_events") || dcfg__obj_failed(o, "duration"))
        return 0;
    const dcfg__node *ev = dcfg__obj_out(o, "on_events");
    if (ev->type == DCFG__SEQ && ev->n == 0) {
        dcfg__obj_err(c, o, NULL, r->code, "%s", r->message);
        return -1;
    }
    return 0;
}

static const dcfg__field retry_fields[] = {
    { "on_events", &k_retry_events, DCFG__F_NULLABLE, NULL, NULL, "Events to retry on; null means all.", NULL },
    { "duration", &dcfg__k_duration, DCFG__F_NULLABLE, NULL, NULL, "How long to keep retrying.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__rule retry_rules[] = {
    { "on_events", NULL, rule_retry_events, DCFG_DIAG_INVALID_VALUE,
      "`on_events` cannot be empty; omit it or set it to null to retry on every event" },
    { NULL, NULL, NULL, 0, NULL },
};
static const dcfg__schema retry_schema = { "retry", retry_fields, retry_rules };

static int parse_retry(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    int b;
    if (in->type == DCFG__MAP)
        return dcfg__parse_object(c, in, &retry_schema, out);
    if (dcfg__try_bool(in, &b)) {
        dcfg__err(c, in, in->type == DCFG__SEQ || (in->flags & DCFG__NF_NOT_TEXT) ? DCFG_DIAG_WRONG_TYPE
                                                                                   : DCFG_DIAG_INVALID_VALUE,
                  "expected true, false or a mapping {on_events, duration}, got %s",
                  in->type == DCFG__SEQ ? "a list" : dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_bool(c->arena, b);
    return *out ? 0 : -1;
}
const dcfg__kind dcfg__k_retry = { "retry policy", parse_retry,
    "true/false, or {on_events: [no-capacity, interruption, error], duration}",
    "{'anyOf':[" DCFG__J_BOOL ",{'$ref':'@retry'}],'examples':[true,{'on_events':['no-capacity'],'duration':'1h'}]}" };

/* ---- utilization_policy --------------------------------------------------------- */

static const dcfg__int_bounds percent_bounds = { 0, 100, 0 };
static const dcfg__int_bounds time_window_bounds = { 300, 9223372036854775807LL, 1 };
static const dcfg__field utilization_fields[] = {
    { "min_gpu_utilization", &dcfg__k_int, DCFG__F_REQUIRED, NULL, &percent_bounds,
      "Stop when any GPU stays below this percentage for the whole window.", NULL },
    { "time_window", &dcfg__k_duration, DCFG__F_REQUIRED, NULL, &time_window_bounds,
      "Window of samples to judge utilization on; at least 5m.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema utilization_schema = { "utilization_policy", utilization_fields, NULL };

static int parse_utilization(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_object(c, in, &utilization_schema, out);
}
const dcfg__kind dcfg__k_utilization_policy = { "utilization policy", parse_utilization,
    "{min_gpu_utilization: 0..100, time_window: duration >= 5m}",
    "{'$ref':'@utilization_policy','examples':[{'min_gpu_utilization':10,'time_window':'1h'}]}" };

/* ---- schedule: cron ----------------------------------------------------------------
 * The grammar of APScheduler 3.x CronTrigger.from_crontab: five whitespace-
 * separated fields (minute hour day month day-of-week), each a comma list of
 * `*`, `A`, `A-B`, each optionally with a step `/N` (`A/N` runs from A to
 * the field's maximum); month and day-of-week also take names
 * (and name ranges), day also `last`. Names and `last` match as a prefix: what
 * follows them is ignored. Day-of-week 0 is Monday. Python semantics are kept
 * for non-ASCII text: Unicode decimal digits count as digits, Unicode spaces
 * separate fields, and four non-ASCII letters match [a-z] case-insensitively. */

/* Decodes one UTF-8 sequence at s[*i] (advancing *i); invalid bytes give U+FFFD. */
static unsigned long utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned long cp;
    size_t n;
    if (p[0] < 0x80)
        cp = p[0], n = 1;
    else if ((p[0] & 0xe0) == 0xc0)
        cp = p[0] & 0x1f, n = 2;
    else if ((p[0] & 0xf0) == 0xe0)
        cp = p[0] & 0x0f, n = 3;
    else if ((p[0] & 0xf8) == 0xf0)
        cp = p[0] & 0x07, n = 4;
    else {
        *i += 1;
        return 0xfffd;
    }
    if (n > left) {
        *i += 1;
        return 0xfffd;
    }
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xc0) != 0x80) {
            *i += 1;
            return 0xfffd;
        }
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    *i += n;
    return cp;
}

/* Python's str.isspace() (what str.split() splits on). */
static int py_space(unsigned long cp)
{
    return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000;
}

/* Value of a Unicode decimal digit (Python's \d and int()), or -1. */
static int py_digit(unsigned long cp)
{
    static const unsigned long zeros[] = {
        0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6,
        0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50,
        0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0,
        0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0,
        0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce,
        0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
    };
    for (size_t k = 0; k < sizeof zeros / sizeof *zeros; k++)
        if (cp >= zeros[k] && cp < zeros[k] + 10)
            return (int)(cp - zeros[k]);
    return -1;
}

/* [a-z] under Python's case-insensitive Unicode matching. */
static int py_letter(unsigned long cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == 0x130 || cp == 0x131 || cp == 0x17f ||
           cp == 0x212a;
}

typedef struct cron_field {
    const char *name;  /* for messages */
    long min, max;
    const char *const *names; /* month/weekday names, or NULL */
    long name_base;    /* value of names[0] */
    int last;          /* day of month: accepts `last` */
} cron_field;

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const weekday_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

/* in written order: minute hour day month day-of-week */
static const cron_field cron_fields[5] = {
    { "minute", 0, 59, NULL, 0, 0 },
    { "hour", 0, 23, NULL, 0, 0 },
    { "day of month", 1, 31, NULL, 0, 1 },
    { "month", 1, 12, month_names, 1, 0 },
    { "day of week", 0, 6, weekday_names, 0, 0 },
};

#define CRON_BIG 100000000L /* numbers at least this large are past every bound; fits a 32-bit long */

/* Reads Unicode decimal digits at e[*i]; returns the count, value saturated. */
static size_t cron_number(const char *e, size_t len, size_t *i, long *value)
{
    size_t count = 0;
    *value = 0;
    while (*i < len) {
        size_t j = *i;
        int d = py_digit(utf8_next(e, len, &j));
        if (d < 0)
            break;
        *value = *value >= CRON_BIG ? CRON_BIG : *value * 10 + d;
        *i = j;
        count++;
    }
    return count;
}

/* Index of the name made of the letters e[a..b), or -1 (only ASCII letters can match). */
static long cron_name(const cron_field *cf, const char *e, size_t a, size_t b)
{
    for (long k = 0; cf->names[k]; k++) {
        if (strlen(cf->names[k]) != b - a)
            continue;
        size_t i = 0;
        while (a + i < b) {
            char ch = e[a + i];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            if (ch != cf->names[k][i])
                break;
            i++;
        }
        if (a + i == b)
            return k;
    }
    return -1;
}

/* Ends of the run of [a-z] letters at e[i]. */
static size_t cron_letters(const char *e, size_t len, size_t i)
{
    while (i < len) {
        size_t j = i;
        if (!py_letter(utf8_next(e, len, &j)))
            break;
        i = j;
    }
    return i;
}

/* Case-insensitive prefix "last" (the long s U+017F also matches 's'). */
static int cron_last(const char *e, size_t len)
{
    static const char want[] = "last";
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        if (i >= len)
            return 0;
        unsigned long cp = utf8_next(e, len, &i);
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        if (cp != (unsigned char)want[k] && !(want[k] == 's' && cp == 0x17f))
            return 0;
    }
    return 1;
}

/* Bytes of e[0..len) to quote in a message: at most 40, cut on a UTF-8 boundary. */
static int clip(const char *e, size_t len)
{
    size_t n = len;
    if (n > 40) {
        n = 40;
        while (n && ((unsigned char)e[n] & 0xc0) == 0x80)
            n--;
    }
    return (int)n;
}

/* Checks one comma-separated item; on error writes a message to msg. */
static int cron_item(const cron_field *cf, const char *e, size_t len, char *msg, size_t msz)
{
    size_t i = 0;
    long first = 0, last = -1, step = -1;
    int all = 0, shown = clip(e, len);
    const char *more = (size_t)shown < len ? "..." : "";
    if (len && e[0] == '*') {
        /* `*`, optionally with a step */
        i = 1;
        all = 1;
        if (i < len && e[i] == '/') {
            i++;
            if (!cron_number(e, len, &i, &step))
                goto unrecognized;
        }
        if (i != len)
            goto unrecognized;
    } else {
        size_t j = 0;
        if (cron_number(e, len, &j, &first)) {
            /* A or A-B, optionally with a step */
            i = j;
            if (i < len && e[i] == '-') {
                i++;
                if (!cron_number(e, len, &i, &last))
                    goto other;
            }
            if (i < len && e[i] == '/') {
                i++;
                if (!cron_number(e, len, &i, &step))
                    goto other;
            }
            if (i != len)
                goto other;
        } else {
            goto other;
        }
    }
    if (step == 0) {
        snprintf(msg, msz, "the step of \"%.*s%s\" must be greater than 0", shown, e, more);
        return -1;
    }
    if (all) {
        if (step > 0 && step > cf->max - cf->min) {
            snprintf(msg, msz, "the step %ld of \"%.*s%s\" is larger than the %s range (%ld)", step, shown, e, more,
                     cf->name, cf->max - cf->min);
            return -1;
        }
        return 0;
    }
    if (last < 0 && step < 0)
        last = first;
    if (last >= 0 && first > last) {
        snprintf(msg, msz, "the range \"%.*s%s\" starts after it ends", shown, e, more);
        return -1;
    }
    if (step > 0 && step > cf->max - cf->min) {
        snprintf(msg, msz, "the step %ld of \"%.*s%s\" is larger than the %s range (%ld)", step, shown, e, more, cf->name,
                 cf->max - cf->min);
        return -1;
    }
    if (first < cf->min) {
        snprintf(msg, msz, "%s values start at %ld, got \"%.*s%s\"", cf->name, cf->min, shown, e, more);
        return -1;
    }
    if (last > cf->max) {
        snprintf(msg, msz, "%s values go up to %ld%s, got \"%.*s%s\"", cf->name, cf->max,
                 cf->names == weekday_names ? " (0 is Monday, 6 Sunday)" : "", shown, e, more);
        return -1;
    }
    /* a zero upper end counts as the field maximum here, as APScheduler does */
    long span = (last > 0 ? last : cf->max) - first;
    if (step > 0 && step > span) {
        snprintf(msg, msz, "the step %ld of \"%.*s%s\" is larger than its range (%ld)", step, shown, e, more, span);
        return -1;
    }
    return 0;

other:
    if (cf->last && cron_last(e, len))
        return 0;
    if (cf->names) {
        size_t a_end = cron_letters(e, len, 0);
        if (a_end == 0)
            goto unrecognized;
        long a = cron_name(cf, e, 0, a_end), b = -1;
        if (a < 0) {
            snprintf(msg, msz, "unknown %s name \"%.*s%s\"", cf->name, clip(e, a_end), e,
                     (size_t)clip(e, a_end) < a_end ? "..." : "");
            return -1;
        }
        if (a_end < len && e[a_end] == '-') {
            size_t b_end = cron_letters(e, len, a_end + 1);
            if (b_end > a_end + 1) {
                b = cron_name(cf, e, a_end + 1, b_end);
                if (b < 0) {
                    size_t blen = b_end - a_end - 1;
                    snprintf(msg, msz, "unknown %s name \"%.*s%s\"", cf->name, clip(e + a_end + 1, blen), e + a_end + 1,
                             (size_t)clip(e + a_end + 1, blen) < blen ? "..." : "");
                    return -1;
                }
            }
        }
        if (b >= 0 && a > b) {
            snprintf(msg, msz, "the range \"%.*s%s\" starts after it ends", shown, e, more);
            return -1;
        }
        return 0; /* whatever follows the name(s) is ignored */
    }
unrecognized:
    snprintf(msg, msz, "cannot read \"%.*s%s\" in the %s field", shown, e, more, cf->name);
    return -1;
}

/* Validates one crontab expression; 0, or -1 with a message. */
static int cron_check(const char *s, size_t len, char *msg, size_t msz)
{
    const char *fs[5];
    size_t fl[5];
    size_t n = 0, i = 0;
    while (i < len) {
        size_t j = i;
        if (py_space(utf8_next(s, len, &j))) {
            i = j;
            continue;
        }
        size_t start = i;
        while (i < len) {
            j = i;
            if (py_space(utf8_next(s, len, &j)))
                break;
            i = j;
        }
        if (n < 5) {
            fs[n] = s + start;
            fl[n] = i - start;
        }
        n++;
    }
    if (n != 5) {
        snprintf(msg, msz, "expected 5 fields (minute hour day month day-of-week), got %zu", n);
        return -1;
    }
    /* APScheduler compiles month, day, day-of-week, hour, minute in this order */
    static const int order[5] = { 3, 2, 4, 1, 0 };
    for (int k = 0; k < 5; k++) {
        const cron_field *cf = &cron_fields[order[k]];
        const char *f = fs[order[k]];
        size_t flen = fl[order[k]], a = 0;
        for (size_t b = 0; b <= flen; b++) {
            if (b == flen || f[b] == ',') {
                if (cron_item(cf, f + a, b - a, msg, msz))
                    return -1;
                a = b + 1;
            }
        }
    }
    return 0;
}

static int parse_cron_item(dcfg__vctx *c, const dcfg__node *in, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}

/* A string or a list of strings, always emitted as a list. Every expression is
 * checked once all items have the right type (dstack reports at `cron`). */
static int parse_cron(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__MAP || in->type == DCFG__BOOL || (in->flags & DCFG__NF_NOT_TEXT)) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a cron expression or a list of them, got %s",
                  dcfg__describe(in));
        return -1;
    }
    int list = in->type == DCFG__SEQ;
    size_t n = list ? in->n : 1;
    dcfg__node *seq = dcfg__mk_seq(c->arena, n);
    if (!seq)
        return -1;
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t mark = list ? dcfg__path_push_index(c, i) : c->path.len;
        dcfg__node *v = NULL;
        const dcfg__node *item = list ? in->kids[i] : in;
        if (item->type == DCFG__NULL) {
            dcfg__err(c, item, DCFG_DIAG_WRONG_TYPE, "must not be null");
            failed = 1;
        } else if (parse_cron_item(c, item, &v)) {
            failed = 1;
        } else {
            dcfg__seq_push(seq, v);
        }
        dcfg__path_pop(c, mark);
    }
    if (failed)
        return -1;
    if (!n) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "give at least one cron expression");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char msg[256];
        const dcfg__node *v = seq->kids[i];
        if (cron_check(v->str, v->len, msg, sizeof msg)) {
            dcfg__err(c, list ? in->kids[i] : in, DCFG_DIAG_INVALID_VALUE, "invalid cron expression %s: %s",
                      dcfg__show(c, v), msg);
            failed = 1;
        }
    }
    *out = seq;
    return failed ? -1 : 0;
}
static const dcfg__kind k_cron = { "cron", parse_cron,
    "crontab expression \"MIN HOUR DAY MONTH WEEKDAY\" (UTC; weekday 0 = Monday), or a list of them",
    "{'anyOf':[{'type':'string'},{'type':'array','items':{'type':'string'}}],'examples':['0 8 * * mon-fri',['0 8 * * *','0 20 * * *']]}" };

static const dcfg__field schedule_fields[] = {
    { "cron", &k_cron, DCFG__F_REQUIRED, NULL, NULL, "When to start the run (UTC), one or more crontab expressions.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema schedule_schema = { "schedule", schedule_fields, NULL };

static int parse_schedule(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_object(c, in, &schedule_schema, out);
}
const dcfg__kind dcfg__k_schedule = { "schedule", parse_schedule, "{cron: \"0 8 * * mon-fri\"} or {cron: [...]}",
    "{'$ref':'@schedule','examples':[{'cron':'0 8 * * mon-fri'}]}" };

/* ---- fleets, instances ---------------------------------------------------------- */

static const dcfg__field fleet_item = { "fleet", &dcfg__k_entity_ref, 0, NULL, NULL, NULL, NULL };

static int parse_fleets(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return parse_list_of(c, in, f, &fleet_item, out);
}
const dcfg__kind dcfg__k_fleets = { "fleets", parse_fleets, "list of \"name\", \"project/name\" or {project, name}",
    "{'type':'array','items':{'anyOf':[" DCFG__J_STR ",{'$ref':'@entity_reference'}]},'examples':[['my-fleet','main/gpu-fleet']]}" };

/* A non-empty string. */
static int parse_nonempty_str(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    if (!len) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must not be empty");
        return -1;
    }
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
static const dcfg__kind k_nonempty_str = { "non-empty string", parse_nonempty_str, "non-empty string",
    "{'type':['string','number'],'minLength':1}" };

/* The fleet of a {fleet, instance} selector: reference text or a mapping (numbers are not names here). */
static int parse_selector_fleet(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type != DCFG__MAP && !is_str(in)) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected \"name\", \"project/name\" or {project, name}, got %s",
                  dcfg__describe(in));
        return -1;
    }
    return dcfg__parse_entity_ref(c, in, out);
}
static const dcfg__kind k_selector_fleet = { "fleet reference", parse_selector_fleet,
    "\"name\", \"project/name\" or {project, name}",
    "{'anyOf':[{'type':'string'},{'$ref':'@entity_reference'}]}" };

static const dcfg__field name_selector_fields[] = {
    { "name", &k_nonempty_str, DCFG__F_REQUIRED, NULL, NULL, "Fleet instance name.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema name_selector_schema = { "instance name selector", name_selector_fields, NULL };

static const dcfg__field hostname_selector_fields[] = {
    { "hostname", &k_nonempty_str, DCFG__F_REQUIRED, NULL, NULL, "Fleet instance hostname or IP address.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema hostname_selector_schema = { "instance hostname selector", hostname_selector_fields, NULL };

static const dcfg__field fleet_selector_fields[] = {
    { "fleet", &k_selector_fleet, DCFG__F_REQUIRED, NULL, NULL, "Fleet of the instance.", NULL },
    { "instance", &dcfg__k_int, DCFG__F_REQUIRED, NULL, &nonneg_bounds, "Instance number in the fleet.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema fleet_selector_schema = { "fleet instance selector", fleet_selector_fields, NULL };

static int parse_instance_selector(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (is_str(in)) {
        /* "NAME" is {name: NAME}; an empty name is reported at `name` */
        if (!in->len) {
            size_t mark = dcfg__path_push_key(c, "name", 4);
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "instance name must not be empty");
            dcfg__path_pop(c, mark);
            return -1;
        }
        dcfg__node *m = dcfg__mk_map(c->arena, 1);
        dcfg__node *k = dcfg__mk_lit(c->arena, "name"), *v = dcfg__mk_str(c->arena, in->str, in->len);
        if (!m || !k || !v)
            return -1;
        dcfg__map_put(m, k, v);
        *out = m;
        return 0;
    }
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE,
                  "expected an instance name or a mapping with `name`, `hostname`, or `fleet` and `instance`, got %s",
                  dcfg__describe(in));
        return -1;
    }
    int by_name = dcfg__map_get(in, "name") != NULL, by_host = dcfg__map_get(in, "hostname") != NULL;
    int by_fleet = dcfg__map_get(in, "fleet") != NULL || dcfg__map_get(in, "instance") != NULL;
    if (by_name + by_host + by_fleet > 1) {
        dcfg__err(c, in, DCFG_DIAG_CONFLICT,
                  "an instance selector uses one of `name`, `hostname`, or `fleet` with `instance`");
        return -1;
    }
    if (!by_name && !by_host && !by_fleet) {
        size_t mark = dcfg__path_push_key(c, "name", 4);
        dcfg__err(c, in, DCFG_DIAG_REQUIRED,
                  "an instance selector needs `name`, `hostname`, or `fleet` and `instance`");
        dcfg__path_pop(c, mark);
        return -1;
    }
    return dcfg__parse_object(c, in,
                              by_name ? &name_selector_schema
                              : by_host ? &hostname_selector_schema
                                        : &fleet_selector_schema,
                              out);
}
static const dcfg__kind k_instance_selector = { "instance selector", parse_instance_selector,
    "instance name, {name}, {hostname} or {fleet, instance}",
    "{'anyOf':[{'type':'string'},{'$ref':'@instance_name_selector'},{'$ref':'@instance_hostname_selector'},{'$ref':'@fleet_instance_selector'}],'examples':['my-instance',{'hostname':'10.0.0.5'},{'fleet':'my-fleet','instance':0}]}" };
static const dcfg__field instance_item = { "instance", &k_instance_selector, 0, NULL, NULL, NULL, NULL };

static int parse_instances(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (parse_list_of(c, in, f, &instance_item, out))
        return -1;
    if (!(*out)->n) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "give at least one instance, or leave `instances` unset");
        return -1;
    }
    return 0;
}
const dcfg__kind dcfg__k_instances = { "instances", parse_instances,
    "non-empty list of instance names, {name}, {hostname} or {fleet, instance}",
    "{'type':'array','minItems':1,'items':{'anyOf':[{'type':'string'},{'$ref':'@instance_name_selector'},{'$ref':'@instance_hostname_selector'},{'$ref':'@fleet_instance_selector'}]},'examples':[['my-instance',{'fleet':'my-fleet','instance':0}]]}" };

/* ---- tags ------------------------------------------------------------------------ */

/* Whether s matches `^[chars]{min,max}$` in Python terms: one final "\n" is
 * tolerated after the match. */
static int tag_match(const char *s, size_t len, size_t min, size_t max, int value)
{
    if (len && s[len - 1] == '\n')
        len--;
    if (len < min || len > max)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                 ch == '-' || (value && strchr(" .:/=+@", ch) && ch != '\0');
        if (!ok)
            return 0;
    }
    return 1;
}

static int parse_tags(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a mapping of tag names to values, got %s", dcfg__describe(in));
        return -1;
    }
    dcfg__node *m = dcfg__mk_map(c->arena, in->n);
    const dcfg__node **vals = dcfg__arena_alloc(dcfg__scratch(c), (in->n + 1) * sizeof *vals);
    dcfg__node *names = dcfg__mk_map(dcfg__scratch(c), in->n); /* distinct keys in first-seen order */
    if (!m || !names || !vals)
        return -1;
    /* a repeated key keeps its first place and its last value */
    dcfg__keyindex ix;
    if (dcfg__keyindex_init(&ix, dcfg__scratch(c), in->n))
        return -1;
    for (size_t i = 0; i < in->n; i++) {
        const dcfg__node *k = DCFG__KEY(in, i);
        size_t slot, j = names->n;
        if (is_str(k) && (j = dcfg__keyindex_find(&ix, names, k->str, k->len, &slot)) == (size_t)-1) {
            j = names->n;
            dcfg__keyindex_add(&ix, slot, j);
        }
        if (j == names->n)
            dcfg__map_put(names, (dcfg__node *)k, NULL);
        vals[j] = DCFG__VAL(in, i);
    }
    int failed = 0;
    const dcfg__node *saved = c->key;
    for (size_t i = 0; i < names->n; i++) {
        const dcfg__node *k = DCFG__KEY(names, i), *v = vals[i];
        c->key = saved;
        if (!is_str(k)) {
            dcfg__err(c, k, DCFG_DIAG_WRONG_TYPE, "tag names must be strings, got %s", dcfg__describe(k));
            failed = 1;
            continue;
        }
        size_t mark = dcfg__path_push_key(c, k->str, k->len);
        c->key = k;
        if (!tag_match(k->str, k->len, 1, 60, 0)) {
            dcfg__err(c, k, DCFG_DIAG_INVALID_VALUE,
                      "invalid tag name %s; use 1 to 60 letters, digits, `-` or `_`", dcfg__show(c, k));
            failed = 1;
        } else if (!is_str(v)) {
            dcfg__err(c, v, DCFG_DIAG_WRONG_TYPE, "tag values must be strings, got %s", dcfg__describe(v));
            failed = 1;
        } else if (!tag_match(v->str, v->len, 0, 256, 1)) {
            dcfg__err(c, v, DCFG_DIAG_INVALID_VALUE,
                      "invalid tag value %s; use up to 256 letters, digits, spaces or any of . : / = _ - + @",
                      dcfg__show(c, v));
            failed = 1;
        } else {
            dcfg__node *ko = dcfg__mk_str(c->arena, k->str, k->len), *vo = dcfg__mk_str(c->arena, v->str, v->len);
            if (!ko || !vo) {
                dcfg__path_pop(c, mark);
                c->key = saved;
                return -1;
            }
            dcfg__map_put(m, ko, vo);
        }
        dcfg__path_pop(c, mark);
    }
    c->key = saved;
    *out = m;
    return failed ? -1 : 0;
}
const dcfg__kind dcfg__k_tags = { "tags", parse_tags,
    "mapping of names ([-_a-zA-Z0-9], 1..60) to string values (letters, digits, \" .:/=_-+@\", up to 256)",
    "{'type':'object','propertyNames':{'pattern':'^[-_a-zA-Z0-9]{1,60}$'},'additionalProperties':{'type':'string'},'examples':[{'team':'ml','cost-center':'42'}]}" };

/* ---- backend_options --------------------------------------------------------------- */

static const char *const vastai_type[] = { "vastai", NULL };
static const char *const vastai_offer_orders[] = { "score", "price", NULL };
static const dcfg__float_bounds reliability_bounds = { 0.0, 1.0, 0 };

static const dcfg__field vastai_fields[] = {
    { "type", &dcfg__k_literal, 0, "vastai", vastai_type, "Backend the options apply to; only \"vastai\".", NULL },
    { "offer_order", &dcfg__k_enum, DCFG__F_NULLABLE, NULL, vastai_offer_orders,
      "Consider offers by \"score\" (default) or lowest \"price\" first.", NULL },
    { "min_reliability", &dcfg__k_float, DCFG__F_NULLABLE, NULL, &reliability_bounds,
      "Minimum offer reliability, 0..1; 0.9 when null.", NULL },
    { "min_score", &dcfg__k_int, DCFG__F_NULLABLE, NULL, &nonneg_bounds, "Minimum offer score.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema vastai_schema = { "vastai options", vastai_fields, NULL };
static const dcfg__field backend_option_item = { "backend options", &dcfg__k_object, 0, NULL, &vastai_schema, NULL, NULL };

static int parse_backend_options(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (parse_list_of(c, in, f, &backend_option_item, out))
        return -1;
    size_t *first = dcfg__first_equal(c->arena->al, *out, 0);
    if (!first) {
        c->arena->oom = 1;
        return -1;
    }
    for (size_t i = 0; i < (*out)->n; i++) {
        if (first[i] != i) {
            const dcfg__node *type = DCFG__VAL((*out)->kids[i], 0);
            dcfg__err(c, in, DCFG_DIAG_DUPLICATE, "backend_options has more than one entry for backend \"%s\"",
                      type->str);
            dcfg__free(c->arena->al, first);
            return -1;
        }
    }
    dcfg__free(c->arena->al, first);
    return 0;
}
const dcfg__kind dcfg__k_backend_options = { "backend options", parse_backend_options,
    "list of per-backend options, at most one per backend: {type: vastai, offer_order, min_reliability, min_score}",
    "{'type':'array','items':{'$ref':'@vastai_options'},'examples':[[{'type':'vastai','min_reliability':0.9}]]}" };

/* Objects of this area, for the generated reference (tools/gen_reference.c). */
const dcfg__doc_object dcfg__profile_docs[] = {
    { "retry", &retry_schema },
    { "utilization_policy", &utilization_schema },
    { "schedule", &schedule_schema },
    { "instances[] (name)", &name_selector_schema },
    { "instances[] (hostname)", &hostname_selector_schema },
    { "instances[] (fleet)", &fleet_selector_schema },
    { "backend_options[] (type: vastai)", &vastai_schema },
    { NULL, NULL },
};
