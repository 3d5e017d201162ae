# Entry of the cpu-workload guest, and the calls out of it: hcall (sc 1) for the
# console and RTAS (KVMPPC_H_RTAS), ci() for the client interface (unused).
#include "../common/start.S"
