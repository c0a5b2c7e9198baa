/* args.c — args_get / environ_get and their size queries.
 * Both copy a wasi_strings block into the guest buffer and fill the guest's pointer array with
 * guest addresses into that copy. */
#include "wasi.h"

static uint32_t put_strings(wasi_ctx *c, const wasi_strings *s, uint32_t ptrs, uint32_t buf)
{
    uint8_t *dst = wasi_ptr(c, buf, s->len);
    if (!dst || !wasi_ptr(c, ptrs, (uint64_t)s->count * 4))
        return WASI_EFAULT;
    memcpy(dst, s->buf, s->len);
    uint32_t at = 0;
    for (uint32_t k = 0; k < s->count; k++) {
        wasi_put32(c, ptrs + 4 * k, buf + at);
        at += (uint32_t)strlen(s->buf + at) + 1;
    }
    return WASI_ESUCCESS;
}

static uint32_t put_sizes(wasi_ctx *c, const wasi_strings *s, uint32_t count_ptr, uint32_t len_ptr)
{
    if (!wasi_ptr(c, count_ptr, 4) || !wasi_ptr(c, len_ptr, 4))
        return WASI_EFAULT;
    wasi_put32(c, count_ptr, s->count);
    wasi_put32(c, len_ptr, s->len);
    return WASI_ESUCCESS;
}

uint32_t kiln__wasi_args_get(wasi_ctx *c, const kiln_val *a) { return put_strings(c, &c->w->args, A32(0), A32(1)); }
uint32_t kiln__wasi_args_sizes_get(wasi_ctx *c, const kiln_val *a) { return put_sizes(c, &c->w->args, A32(0), A32(1)); }
uint32_t kiln__wasi_environ_get(wasi_ctx *c, const kiln_val *a) { return put_strings(c, &c->w->env, A32(0), A32(1)); }
uint32_t kiln__wasi_environ_sizes_get(wasi_ctx *c, const kiln_val *a) { return put_sizes(c, &c->w->env, A32(0), A32(1)); }
