// zlib (https://zlib.net): raw DEFLATE and CRC-32 for the XLSX reader and writer.
// Linux: the zlib1g-dev package (part of Swift's documented prerequisites); macOS: the SDK.
#include <zlib.h>
