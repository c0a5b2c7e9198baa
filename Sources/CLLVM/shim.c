/* SwiftPM needs one source file per C target; the module is CLLVM.h. */
#include "CLLVM.h"
