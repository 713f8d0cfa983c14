/* libFuzzer harness: the document as YAML (see fuzz_common.h for the layout). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse_one(data, size, DCFG_FORMAT_YAML);
    return 0;
}
