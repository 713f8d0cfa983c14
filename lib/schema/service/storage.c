/* Storage area: `volumes`, `repos` and `files`.
 *
 * Each item takes a short string form or a mapping. A short form is split
 * into its parts and turned into a small mapping positioned at the string
 * itself, which then goes through the same schema as the written mapping, so
 * both forms get the same checks, defaults and key order. */
#include <string.h>
#include "schema/service/areas.h"

/* "NAME:PATH", "/HOST/PATH:PATH" or a mapping. */
#define DCFG__J_VOLUME "{'anyOf':[{'type':'string','pattern':'^[^:]*:.+$'},{'$ref':'@network_volume'}," \
    "{'$ref':'@instance_volume'}]}"

/* ---- shared helpers ---------------------------------------------------------- */

static int is_str(const dcfg__node *n) { return n && n->type == DCFG__STR && !(n->flags & DCFG__NF_NOT_TEXT); }

/* A string node holding s[0..len), placed where `at` is. */
static dcfg__node *at_str(dcfg__vctx *c, const dcfg__node *at, const char *s, size_t len)
{
    dcfg__node *n = dcfg__mk_str(c->arena, s, len);
    if (n) {
        n->flags = DCFG__NF_QUOTED;
        n->line = at->line;
        n->col = at->col;
    }
    return n;
}

/* Parses the pairs keys[i] = (vals[i], lens[i]) as a mapping written at the
 * scalar `at`, with schema `s`. Reports land on the scalar. */
static int parse_short(dcfg__vctx *c, const dcfg__node *at, const dcfg__schema *s, size_t n,
                       const char *const *keys, const char *const *vals, const size_t *lens, dcfg__node **out)
{
    dcfg__node *m = dcfg__mk_map(c->arena, n);
    if (!m)
        return -1;
    m->line = at->line;
    m->col = at->col;
    for (size_t i = 0; i < n; i++) {
        dcfg__node *k = at_str(c, at, keys[i], strlen(keys[i]));
        dcfg__node *v = at_str(c, at, vals[i], lens[i]);
        if (!k || !v)
            return -1;
        dcfg__map_put(m, k, v);
    }
    const dcfg__node *saved = c->key;
    c->key = NULL; /* positions come from the scalar, not from the list's key */
    int rc = dcfg__parse_object(c, m, s, out);
    c->key = saved;
    return rc;
}

/* Splits s on ':' into at most `max` parts; returns the number of parts
 * (which may exceed max: the rest is not stored). */
static size_t split_colons(const char *s, size_t len, size_t max, const char **parts, size_t *lens)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == ':') {
            if (n < max) {
                parts[n] = s + start;
                lens[n] = i - start;
            }
            n++;
            start = i + 1;
        }
    }
    return n;
}

static int ascii_letter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

/* "C" + "\path" or "c" + "/path": the first two parts are a Windows drive path. */
static int drive_split(const char *const *parts, const size_t *lens, size_t n)
{
    return n > 1 && lens[0] == 1 && ascii_letter(parts[0][0]) && lens[1] > 0 &&
           (parts[1][0] == '\\' || parts[1][0] == '/');
}

/* ---- volumes ------------------------------------------------------------------ */

/* Absolute container/host path: non-empty, starts with '/', no ".." component;
 * normalized like a POSIX path object: repeated '/' and "." components dropped,
 * no trailing '/', exactly two leading slashes kept. */
static int parse_mount_path(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    if (!len) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "empty path; expected an absolute path");
        return -1;
    }
    if (s[0] != '/') {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "path must be absolute (start with /), got %s", dcfg__show(c, in));
        return -1;
    }
    char *norm = dcfg__arena_alloc(c->arena, len + 1);
    if (!norm)
        return -1;
    size_t lead = 0, n = 0;
    while (lead < len && s[lead] == '/')
        lead++;
    norm[n++] = '/';
    if (lead == 2)
        norm[n++] = '/';
    size_t root = n;
    for (size_t i = lead; i < len;) {
        size_t j = i;
        while (j < len && s[j] != '/')
            j++;
        size_t clen = j - i;
        if (clen == 2 && s[i] == '.' && s[i + 1] == '.') {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "\"..\" components are not allowed in a path, got %s",
                      dcfg__show(c, in));
            return -1;
        }
        if (clen && !(clen == 1 && s[i] == '.')) {
            if (n > root)
                norm[n++] = '/';
            memcpy(norm + n, s + i, clen);
            n += clen;
        }
        i = j + 1;
    }
    *out = dcfg__mk_str(c->arena, norm, n);
    return *out ? 0 : -1;
}
static const dcfg__kind k_mount_path = { "absolute path", parse_mount_path,
    "absolute POSIX path; normalized (\"/data//x/\" becomes \"/data/x\"); \"..\" not allowed",
    "{'type':'string','pattern':'^/','examples':['/data']}" };

/* Network volume name: a string, or a list of strings (one of them is mounted). */
static int parse_volume_name(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__SEQ)
        return dcfg__k_str_list.parse(c, in, f, out);
    if (in->type == DCFG__MAP || in->type == DCFG__BOOL) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a volume name or a list of names, got %s", dcfg__describe(in));
        return -1;
    }
    return dcfg__k_str.parse(c, in, f, out);
}
static const dcfg__kind k_volume_name = { "volume name(s)", parse_volume_name,
    "volume name, or a list of names (one of them is mounted)",
    "{'anyOf':[" DCFG__J_STR ",{'type':'array','items':" DCFG__J_STR "}],'examples':['my-volume',['vol-us','vol-eu']]}" };

static const dcfg__field network_volume_fields[] = {
    { "name", &k_volume_name, DCFG__F_REQUIRED, NULL, NULL, "Network volume name, or a list of names to pick one from.", NULL },
    { "path", &k_mount_path, DCFG__F_REQUIRED, NULL, NULL, "Absolute container path to mount at.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema network_volume_schema = { "network volume", network_volume_fields, NULL };

static const dcfg__field instance_volume_fields[] = {
    { "instance_path", &k_mount_path, DCFG__F_REQUIRED, NULL, NULL, "Absolute path on the host.", NULL },
    { "path", &k_mount_path, DCFG__F_REQUIRED, NULL, NULL, "Absolute container path to mount at.", NULL },
    { "optional", &dcfg__k_bool, 0, "false", NULL, "Run anyway on backends without instance volumes.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema instance_volume_schema = { "instance volume", instance_volume_fields, NULL };

static int parse_volume(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (is_str(in)) {
        const char *parts[2];
        size_t lens[2];
        if (split_colons(in->str, in->len, 2, parts, lens) != 2) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                      "invalid mount point %s; expected \"NAME:PATH\" (network volume) or \"/HOST/PATH:PATH\" (instance volume)",
                      dcfg__show(c, in));
            return -1;
        }
        if (memchr(parts[0], '/', lens[0])) {
            static const char *const keys[] = { "instance_path", "path" };
            return parse_short(c, in, &instance_volume_schema, 2, keys, parts, lens, out);
        }
        static const char *const keys[] = { "name", "path" };
        return parse_short(c, in, &network_volume_schema, 2, keys, parts, lens, out);
    }
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE,
                  "expected \"NAME:PATH\", \"/HOST/PATH:PATH\" or a mapping, got %s", dcfg__describe(in));
        return -1;
    }
    int network = dcfg__map_get(in, "name") != NULL;
    int instance = dcfg__map_get(in, "instance_path") != NULL ||
                   (!network && dcfg__map_get(in, "optional") != NULL);
    if (network && instance) {
        dcfg__err(c, in, DCFG_DIAG_CONFLICT,
                  "a volume has either `name` (network volume) or `instance_path` (instance volume), not both");
        return -1;
    }
    if (!network && !instance) {
        size_t mark = dcfg__path_push_key(c, "name", 4);
        dcfg__err(c, in, DCFG_DIAG_REQUIRED,
                  "a volume mapping needs `name` (network volume) or `instance_path` (instance volume)");
        dcfg__path_pop(c, mark);
        return -1;
    }
    return dcfg__parse_object(c, in, network ? &network_volume_schema : &instance_volume_schema, out);
}
static const dcfg__kind k_volume = { "volume", parse_volume, "",
    DCFG__J_VOLUME };
static const dcfg__field volume_item = { "volume", &k_volume, 0, NULL, NULL, NULL, NULL };

static int parse_volumes(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__field lf = *f;
    lf.extra = &volume_item;
    return dcfg__k_list.parse(c, in, &lf, out);
}
const dcfg__kind dcfg__k_volumes = { "volumes", parse_volumes,
    "list of \"NAME:PATH\", \"/HOST/PATH:PATH\", {name, path} or {instance_path, path, optional}",
    "{'type':'array','items':" DCFG__J_VOLUME ",'examples':[['my-volume:/data','/mnt/cache:/cache']]}" };

/* ---- repos -------------------------------------------------------------------- */

static const char *const if_exists_values[] = { "error", "skip", NULL };

/* Container path of the repo; `~` may only stand alone as the first component. */
static int parse_repo_path(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    if (len > 1 && s[0] == '~' && s[1] != '/') {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                  "`~username` paths are not supported; use `~` or `~/...`, got %s", dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
static const dcfg__kind k_repo_path = { "repo path", parse_repo_path,
    "container path; relative to the working directory; `~` or `~/...` allowed",
    "{'type':['string','number'],'examples':['~/repo','src']}" };

static int nonempty_str(const dcfg__node *n) { return n && n->type == DCFG__STR && n->len > 0; }

/* Exactly one of `local_path` / `url` (an empty string counts as unset). */
static int rule_repo_source(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    if (dcfg__obj_failed(o, "local_path") || dcfg__obj_failed(o, "url") || dcfg__obj_failed(o, "path") ||
        dcfg__obj_failed(o, "branch") || dcfg__obj_failed(o, "hash") || dcfg__obj_failed(o, "if_exists"))
        return 0;
    int local = nonempty_str(dcfg__obj_out(o, "local_path")), url = nonempty_str(dcfg__obj_out(o, "url"));
    if (local && url) {
        dcfg__obj_err(c, o, NULL, DCFG_DIAG_CONFLICT, "`local_path` and `url` are mutually exclusive");
        return -1;
    }
    if (!local && !url) {
        dcfg__obj_err(c, o, NULL, DCFG_DIAG_REQUIRED, "a repo needs `local_path` or `url`");
        return -1;
    }
    return 0;
}

static const dcfg__field repo_fields[] = {
    { "local_path", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "Local Git repo, relative to the configuration file.", NULL },
    { "url", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "Git repo URL.", NULL },
    { "branch", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "Branch; the active (local) or default (URL) one when null.", NULL },
    { "hash", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "Commit hash.", NULL },
    { "path", &k_repo_path, 0, ".", NULL, "Path in the container, relative to the working directory.", NULL },
    { "if_exists", &dcfg__k_enum, 0, "error", if_exists_values, "What to do when `path` exists and is not empty.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__rule repo_rules[] = {
    { "local_path", "url", rule_repo_source, DCFG_DIAG_CONFLICT, NULL },
    { NULL, NULL, NULL, 0, NULL },
};
static const dcfg__schema repo_schema = { "repo", repo_fields, repo_rules };

/* Short form: SOURCE or SOURCE:PATH; SOURCE is a URL when it holds "@" before
 * the first colon or "//" right after it, a Windows drive path keeps its colon. */
static int parse_repo_short(dcfg__vctx *c, const dcfg__node *in, dcfg__node **out)
{
    const char *parts[3];
    size_t lens[3];
    size_t n = split_colons(in->str, in->len, 3, parts, lens);
    int url = 0;
    if (n > 1) {
        if (memchr(parts[0], '@', lens[0]) || (lens[1] >= 2 && parts[1][0] == '/' && parts[1][1] == '/'))
            url = 1;
        if (url || drive_split(parts, lens, n)) {
            lens[0] += 1 + lens[1];
            if (n > 2) {
                parts[1] = parts[2];
                lens[1] = lens[2];
            }
            n--;
        }
    }
    if (n > 2) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                  "invalid repo %s; expected \"SOURCE\" or \"SOURCE:PATH\" (a local path or a Git URL)",
                  dcfg__show(c, in));
        return -1;
    }
    const char *keys[2] = { url ? "url" : "local_path", "path" };
    return parse_short(c, in, &repo_schema, n, keys, parts, lens, out);
}

static int parse_repo(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (is_str(in))
        return parse_repo_short(c, in, out);
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected \"SOURCE[:PATH]\" or a mapping, got %s", dcfg__describe(in));
        return -1;
    }
    return dcfg__parse_object(c, in, &repo_schema, out);
}
static const dcfg__kind k_repo = { "repo", parse_repo, "",
    "{'anyOf':[{'type':'string'},{'$ref':'@repo'}]}" };
static const dcfg__field repo_item = { "repo", &k_repo, 0, NULL, NULL, NULL, NULL };

static int parse_repos(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__field lf = *f;
    lf.extra = &repo_item;
    if (dcfg__k_list.parse(c, in, &lf, out))
        return -1;
    if ((*out)->n > 1) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "at most one repo is supported, got %zu", (*out)->n);
        return -1;
    }
    return 0;
}
const dcfg__kind dcfg__k_repos = { "repos", parse_repos,
    "list of at most one repo: \"SOURCE[:PATH]\" or {local_path | url, branch, hash, path, if_exists}",
    "{'type':'array','maxItems':1,'items':{'anyOf':[{'type':'string'},{'$ref':'@repo'}]},'examples':[['.'],[{'url':'https://github.com/org/repo','branch':'main'}]]}" };

/* ---- files -------------------------------------------------------------------- */

/* Whether a path is absolute for Windows (a drive or UNC share plus a root),
 * as Python 3.11's PureWindowsPath decides it; '/' counts as '\\'. */
static int windows_absolute(dcfg__vctx *c, const char *s, size_t len, int *abs)
{
    *abs = 0;
    if (!len)
        return 0;
    char *b = dcfg__arena_alloc(c->arena, len + 1);
    if (!b)
        return -1;
    for (size_t i = 0; i < len; i++)
        b[i] = s[i] == '/' ? '\\' : s[i];
    const char *part = b;
    size_t plen = len;
    int prefix = 0;
    if (plen >= 4 && !memcmp(part, "\\\\?\\", 4)) {
        /* extended-length prefix "\\\\?\\", optionally followed by "UNC\\" */
        prefix = 1;
        part += 4, plen -= 4;
        if (plen >= 4 && !memcmp(part, "UNC\\", 4)) {
            b[6] = '\\'; /* the rest becomes "\\" + "\\server\\share..." */
            part += 2, plen -= 2;
        }
    }
#define CH(i) ((size_t)(i) < plen ? part[i] : '\0')
    if (CH(0) == '\\' && CH(1) == '\\' && CH(2) != '\\') {
        const char *sep = plen > 2 ? memchr(part + 2, '\\', plen - 2) : NULL;
        if (sep && CH((size_t)(sep - part) + 1) != '\\') {
            *abs = 1; /* \\\\server\\share with a root */
            return 0;
        }
    }
    int drive = prefix;
    char first = CH(0);
    if (CH(1) == ':' && ascii_letter(CH(0))) {
        drive = 1;
        first = CH(2);
    }
    *abs = drive && first == '\\';
#undef CH
    return 0;
}

static int parse_unix_path(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    int abs;
    if (windows_absolute(c, s, len, &abs))
        return -1;
    if (abs) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                  "expected a Unix path in the container, got the Windows path %s", dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
static const dcfg__kind k_unix_path = { "container path", parse_unix_path,
    "Unix path, relative to the working directory or absolute (not a Windows path)",
    "{'type':['string','number'],'examples':['config.yml','/app/config.yml']}" };

static const dcfg__field file_fields[] = {
    { "local_path", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Local path, relative to the configuration file.", NULL },
    { "path", &k_unix_path, DCFG__F_REQUIRED, NULL, NULL, "Path in the container, relative to the working directory.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema file_schema = { "file", file_fields, NULL };

static int parse_file(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (is_str(in)) {
        const char *parts[3];
        size_t lens[3];
        size_t n = split_colons(in->str, in->len, 3, parts, lens);
        if (drive_split(parts, lens, n)) {
            lens[0] += 1 + lens[1];
            if (n > 2) {
                parts[1] = parts[2];
                lens[1] = lens[2];
            }
            n--;
        }
        if (n > 2) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                      "invalid file mapping %s; expected \"PATH\" or \"LOCAL_PATH:PATH\"", dcfg__show(c, in));
            return -1;
        }
        if (n == 1) {
            parts[1] = parts[0];
            lens[1] = lens[0];
        }
        static const char *const keys[] = { "local_path", "path" };
        return parse_short(c, in, &file_schema, 2, keys, parts, lens, out);
    }
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected \"LOCAL_PATH[:PATH]\" or a mapping, got %s", dcfg__describe(in));
        return -1;
    }
    return dcfg__parse_object(c, in, &file_schema, out);
}
static const dcfg__kind k_file = { "file", parse_file, "",
    "{'anyOf':[{'type':'string'},{'$ref':'@file'}]}" };
static const dcfg__field file_item = { "file", &k_file, 0, NULL, NULL, NULL, NULL };

static int parse_files(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__field lf = *f;
    lf.extra = &file_item;
    return dcfg__k_list.parse(c, in, &lf, out);
}
const dcfg__kind dcfg__k_files = { "files", parse_files,
    "list of \"PATH\", \"LOCAL_PATH:PATH\" or {local_path, path}",
    "{'type':'array','items':{'anyOf':[{'type':'string'},{'$ref':'@file'}]},'examples':[['config.yml','local.env:/app/.env']]}" };

/* Objects of this area, for the generated reference (tools/gen_reference.c). */
const dcfg__doc_object dcfg__storage_docs[] = {
    { "volumes[] (network)", &network_volume_schema },
    { "volumes[] (instance)", &instance_volume_schema },
    { "repos[]", &repo_schema },
    { "files[]", &file_schema },
    { NULL, NULL },
};
