/* libFuzzer harness: the document as JSON, through jansson and, when jansson
 * refuses it, libfyaml's JSON mode (see fuzz_common.h for the layout). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse_one(data, size, DCFG_FORMAT_JSON);
    return 0;
}
