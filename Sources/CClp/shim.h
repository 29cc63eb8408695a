// COIN-OR CLP's C interface (Debian: coinor-libclp-dev; EPL-2.0). See docs/disclosure-control.md.
#include <stdbool.h>
#include <Clp_C_Interface.h>
