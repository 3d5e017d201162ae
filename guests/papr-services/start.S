# Entry and the three ways out of the guest: hcall (sc 1), the VOF client
# interface (call the entry VOF passed in r5) and RTAS (KVMPPC_H_RTAS).
#include "../common/start.S"
