/* roaring_sets/serialise.h — serialisation and deserialisation.
 * Part of roaring_sets.c, one translation unit: it includes the parts in order. */

/* ---------- serialisation ---------- */

static size_t put16(uint8_t *p, size_t at, uint32_t v)
{
    p[at] = (uint8_t)v;
    p[at + 1] = (uint8_t)(v >> 8);
    return at + 2;
}

static uint32_t get16(const uint8_t *p, size_t at)
{
    return (uint32_t)p[at] | ((uint32_t)p[at + 1] << 8);
}

static size_t rbm_serialize(const rbm_t *r, uint8_t *out)
{
    size_t at = put16(out, 0, (uint32_t)r->n);
    for (int i = 0; i < r->n; i++) {
        const cont_t *c = &r->c[i];
        at = put16(out, at, c->key);
        out[at++] = c->type;
        at = put16(out, at, (uint32_t)(c->card - 1));
        if (c->type == C_ARRAY) {
            for (int j = 0; j < c->n; j++)
                at = put16(out, at, c->vals[j]);
        } else if (c->type == C_RUN) {
            at = put16(out, at, (uint32_t)c->n);
            for (int j = 0; j < 2 * c->n; j++)
                at = put16(out, at, c->vals[j]);
        } else {
            for (int j = 0; j < BWORDS; j++)
                for (int b = 0; b < 8; b++)
                    out[at++] = (uint8_t)(c->words[j] >> (8 * b));
        }
    }
    return at;
}

static size_t rbm_deserialize(rbm_t *r, const uint8_t *in, size_t len)
{
    rbm_init(r);
    size_t at = 2;
    int n = (int)get16(in, 0);
    for (int i = 0; i < n && at < len; i++) {
        uint16_t key = (uint16_t)get16(in, at);
        int type = in[at + 2];
        int card = (int)get16(in, at + 3) + 1;
        at += 5;
        cont_t c;
        if (type == C_ARRAY) {
            c = cont_empty_array(key, card);
            for (int j = 0; j < card; j++, at += 2)
                c.vals[j] = (uint16_t)get16(in, at);
            c.n = card;
        } else if (type == C_RUN) {
            int runs = (int)get16(in, at);
            at += 2;
            c = cont_empty_array(key, 2 * runs);
            c.type = C_RUN;
            for (int j = 0; j < 2 * runs; j++, at += 2)
                c.vals[j] = (uint16_t)get16(in, at);
            c.n = runs;
        } else {
            c = cont_empty_bitmap(key);
            for (int j = 0; j < BWORDS; j++) {
                uint64_t w = 0;
                for (int b = 0; b < 8; b++)
                    w |= (uint64_t)in[at++] << (8 * b);
                c.words[j] = w;
            }
        }
        c.card = card;
        rbm_push(r, c);
    }
    return at;
}
