/* dstackcfg — common definitions shared by every public header. */
#ifndef DSTACKCFG_COMMON_H
#define DSTACKCFG_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
#  define DCFG_BEGIN_DECLS extern "C" {
#  define DCFG_END_DECLS }
#else
#  define DCFG_BEGIN_DECLS
#  define DCFG_END_DECLS
#endif

#if defined(_WIN32) && defined(DCFG_BUILDING)
#  define DCFG_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(DCFG_STATIC)
#  define DCFG_API __declspec(dllimport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define DCFG_API __attribute__((visibility("default")))
#else
#  define DCFG_API
#endif

DCFG_BEGIN_DECLS

/** 64-bit signed integer (long long; marked as an extension for strict C89 compilers). */
#if defined(__GNUC__) && !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 199901L)
__extension__ typedef long long dcfg_int64;
#else
typedef long long dcfg_int64;
#endif

/** Result of every fallible call: 0 on success, negative on failure. */
typedef enum dcfg_status {
    DCFG_OK = 0,
    DCFG_ESYNTAX = -1,   /**< the input is not well-formed YAML/JSON */
    DCFG_EINVALID = -2,  /**< well-formed, but violates the service schema */
    DCFG_ENOMEM = -3,    /**< an allocation failed */
    DCFG_EIO = -4,       /**< a file could not be read */
    DCFG_EUSAGE = -5,    /**< NULL argument, unknown options version, bad field name */
    DCFG_ELIMIT = -6     /**< the input exceeds a configured limit */
} dcfg_status;

/** Input format. */
typedef enum dcfg_format {
    DCFG_FORMAT_AUTO = 0, /**< dcfg_detect_format(): JSON when the text starts with '{', YAML otherwise */
    DCFG_FORMAT_YAML = 1,
    DCFG_FORMAT_JSON = 2
} dcfg_format;

/**
 * Allocator used for every allocation the library makes for one object
 * (a parse, the config it returns and its diagnostics). NULL members fall
 * back to the C library's malloc/realloc/free.
 */
typedef struct dcfg_allocator {
    void *(*malloc_fn)(size_t size, void *user);
    void *(*realloc_fn)(void *ptr, size_t size, void *user);
    void (*free_fn)(void *ptr, void *user);
    void *user;
} dcfg_allocator;

/** Short English name of a status ("ok", "syntax error", ...). Never NULL; static storage. */
DCFG_API const char *dcfg_status_string(dcfg_status status);

/** Free a string the library returned as `char *` (for instance from dcfg_config_to_json()). NULL is fine. */
DCFG_API void dcfg_free(void *ptr);

DCFG_END_DECLS

#endif
