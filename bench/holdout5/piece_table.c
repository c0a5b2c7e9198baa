/* piece_table — text editor simulation on a piece table with grouped undo.
 *
 * The document is a sequence of pieces (array of structs: which buffer, start, length) over an
 * immutable original buffer and an append-only add buffer. A scripted editing session types words,
 * deletes ranges, pastes copies of earlier text, and undoes groups of edits; the undo log
 * records inverse operations with their text saved in the add buffer. Offsets are located by
 * walking the piece array; adjacent add-buffer pieces are coalesced. Periodically the document is
 * materialised with memcpy, lines are counted with memchr, a word is searched with strstr, and the
 * result is compared with a flat reference copy edited with memmove. */
#include "../programs/bench.h"

typedef struct {
    uint8_t buf; /* 0 = original, 1 = add */
    uint32_t start;
    uint32_t len;
} Piece;

typedef struct {
    const char *orig;
    char *add;
    uint32_t add_len, add_cap;
    Piece *pieces;
    uint32_t npieces, cap;
    uint32_t length;
} Doc;

typedef struct {
    uint8_t kind;   /* 0 = insert was done (undo = delete), 1 = delete was done (undo = insert) */
    uint32_t pos, len;
    uint32_t text;  /* offset of the text in the add buffer */
    uint32_t group;
} UndoRec;

static uint32_t add_text(Doc *d, const char *s, uint32_t n)
{
    if (d->add_len + n > d->add_cap) {
        while (d->add_len + n > d->add_cap)
            d->add_cap *= 2;
        d->add = realloc(d->add, d->add_cap);
    }
    memcpy(d->add + d->add_len, s, n);
    d->add_len += n;
    return d->add_len - n;
}

static const char *piece_ptr(const Doc *d, const Piece *p)
{
    return (p->buf ? d->add : d->orig) + p->start;
}

static void reserve(Doc *d, uint32_t extra)
{
    if (d->npieces + extra > d->cap) {
        while (d->npieces + extra > d->cap)
            d->cap *= 2;
        d->pieces = realloc(d->pieces, d->cap * sizeof(Piece));
    }
}

/* Split so that a piece boundary falls at pos; returns the index of the piece starting at pos. */
static uint32_t split_at(Doc *d, uint32_t pos)
{
    uint32_t off = 0;
    Piece *p = d->pieces, *end = d->pieces + d->npieces;
    for (; p < end; p++) {
        if (off == pos)
            return (uint32_t)(p - d->pieces);
        if (pos < off + p->len)
            break;
        off += p->len;
    }
    if (p == end)
        return d->npieces;
    uint32_t i = (uint32_t)(p - d->pieces);
    reserve(d, 1);
    p = d->pieces + i;
    memmove(p + 1, p, (d->npieces - i) * sizeof(Piece));
    d->npieces++;
    uint32_t k = pos - off;
    p[1].start = p[0].start + k;
    p[1].len = p[0].len - k;
    p[0].len = k;
    return i + 1;
}

static void insert_ref(Doc *d, uint32_t pos, uint32_t addoff, uint32_t n)
{
    uint32_t i = split_at(d, pos);
    if (i > 0) {
        Piece *q = &d->pieces[i - 1];
        if (q->buf == 1 && q->start + q->len == addoff) {
            q->len += n;
            d->length += n;
            return;
        }
    }
    reserve(d, 1);
    memmove(d->pieces + i + 1, d->pieces + i, (d->npieces - i) * sizeof(Piece));
    d->pieces[i].buf = 1;
    d->pieces[i].start = addoff;
    d->pieces[i].len = n;
    d->npieces++;
    d->length += n;
}

/* Copy n bytes starting at pos into out. */
static void read_range(const Doc *d, uint32_t pos, uint32_t n, char *out)
{
    uint32_t off = 0;
    for (uint32_t i = 0; i < d->npieces && n > 0; i++) {
        const Piece *p = &d->pieces[i];
        if (pos < off + p->len) {
            uint32_t k = pos - off, take = p->len - k;
            if (take > n)
                take = n;
            memcpy(out, piece_ptr(d, p) + k, take);
            out += take;
            pos += take;
            n -= take;
        }
        off += p->len;
    }
}

static void delete_range(Doc *d, uint32_t pos, uint32_t n)
{
    uint32_t a = split_at(d, pos);
    uint32_t b = split_at(d, pos + n);
    memmove(d->pieces + a, d->pieces + b, (d->npieces - b) * sizeof(Piece));
    d->npieces -= b - a;
    d->length -= n;
}

static void materialise(const Doc *d, char *out)
{
    for (uint32_t i = 0; i < d->npieces; i++) {
        memcpy(out, piece_ptr(d, &d->pieces[i]), d->pieces[i].len);
        out += d->pieces[i].len;
    }
    *out = 0;
}

static const char *words[] = { "piece", "table", "editor", "buffer", "cursor", "undo", "redo", "line",
                               "insert", "delete", "paste", "the", "a", "of", "and", "text", "span", "node" };

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 23);
    bench_rng rng = { 0x7069656365746162ULL };

    uint32_t orig_len = 200000;
    char *orig = malloc(orig_len + 1);
    for (uint32_t i = 0; i < orig_len;) {
        const char *w = words[rng_below(&rng, 18)];
        uint32_t n = (uint32_t)strlen(w);
        if (i + n + 1 > orig_len)
            break;
        memcpy(orig + i, w, n);
        i += n;
        orig[i++] = rng_below(&rng, 9) == 0 ? '\n' : ' ';
        if (i == orig_len)
            break;
        while (i < orig_len && rng_below(&rng, 40) == 0)
            orig[i++] = '.';
    }
    for (uint32_t i = 0; i < orig_len; i++)
        if (orig[i] == 0)
            orig[i] = ' ';
    orig[orig_len] = 0;

    double start = bench_now();
    uint64_t h = 0;
    uint64_t lines_total = 0, found_total = 0, max_pieces = 0;
    for (int round = 0; round < scale; round++) {
        Doc d = { orig, malloc(1 << 16), 0, 1 << 16, malloc(64 * sizeof(Piece)), 1, 64, orig_len };
        d.pieces[0] = (Piece){ 0, 0, orig_len };
        uint32_t ref_cap = orig_len * 4;
        char *ref = malloc(ref_cap + 1);
        memcpy(ref, orig, orig_len);
        uint32_t ref_len = orig_len;
        char *flat = malloc(ref_cap + 1);
        char *tmp = malloc(ref_cap + 1);
        UndoRec *undo = malloc(sizeof(UndoRec) * 200000);
        uint32_t nundo = 0, group = 0;
        uint32_t cursor = rng_below(&rng, orig_len);

        for (int step = 0; step < 8000; step++) {
            uint32_t r = rng_below(&rng, 100);
            if (r < 55 && d.length < ref_cap - 2000) {
                /* type a few words at the cursor */
                char text[128];
                uint32_t n = 0;
                int nw = 1 + (int)rng_below(&rng, 4);
                for (int k = 0; k < nw; k++) {
                    const char *w = words[rng_below(&rng, 18)];
                    size_t wl = strlen(w);
                    memcpy(text + n, w, wl);
                    n += (uint32_t)wl;
                    text[n++] = rng_below(&rng, 12) == 0 ? '\n' : ' ';
                }
                uint32_t off = add_text(&d, text, n);
                insert_ref(&d, cursor, off, n);
                memmove(ref + cursor + n, ref + cursor, ref_len - cursor);
                memcpy(ref + cursor, text, n);
                ref_len += n;
                undo[nundo++] = (UndoRec){ 0, cursor, n, off, group };
                cursor += n;
            } else if (r < 75 && d.length > 1000) {
                uint32_t n = 1 + rng_below(&rng, 60);
                if (cursor + n > d.length)
                    cursor = d.length - n;
                read_range(&d, cursor, n, tmp);
                uint32_t off = add_text(&d, tmp, n);
                delete_range(&d, cursor, n);
                memmove(ref + cursor, ref + cursor + n, ref_len - cursor - n);
                ref_len -= n;
                undo[nundo++] = (UndoRec){ 1, cursor, n, off, group };
            } else if (r < 85 && d.length < ref_cap - 2000) {
                /* copy an earlier span and paste it at the cursor: shares add/original text */
                uint32_t n = 8 + rng_below(&rng, 400);
                uint32_t from = rng_below(&rng, d.length - n);
                read_range(&d, from, n, tmp);
                uint32_t off = add_text(&d, tmp, n);
                insert_ref(&d, cursor, off, n);
                memmove(ref + cursor + n, ref + cursor, ref_len - cursor);
                memcpy(ref + cursor, tmp, n);
                ref_len += n;
                undo[nundo++] = (UndoRec){ 0, cursor, n, off, group };
                cursor += n;
            } else if (r < 92 && nundo > 0) {
                /* undo the most recent group */
                uint32_t g = undo[nundo - 1].group;
                while (nundo > 0 && undo[nundo - 1].group == g) {
                    UndoRec *u = &undo[--nundo];
                    if (u->kind == 0) {
                        delete_range(&d, u->pos, u->len);
                        memmove(ref + u->pos, ref + u->pos + u->len, ref_len - u->pos - u->len);
                        ref_len -= u->len;
                    } else {
                        insert_ref(&d, u->pos, u->text, u->len);
                        memmove(ref + u->pos + u->len, ref + u->pos, ref_len - u->pos);
                        memcpy(ref + u->pos, d.add + u->text, u->len);
                        ref_len += u->len;
                    }
                    cursor = u->pos;
                }
            } else {
                /* move the cursor and start a new undo group */
                group++;
                if (rng_below(&rng, 3) == 0)
                    cursor = rng_below(&rng, d.length);
                else {
                    uint32_t delta = rng_below(&rng, 200);
                    cursor = cursor + delta < d.length ? cursor + delta : d.length;
                }
            }
            if (d.npieces > max_pieces)
                max_pieces = d.npieces;
            if (cursor > d.length)
                cursor = d.length;

            if ((step & 1023) == 1023) {
                materialise(&d, flat);
                if (d.length != ref_len || memcmp(flat, ref, ref_len) != 0) {
                    fprintf(stderr, "mismatch at round %d step %d\n", round, step);
                    return 1;
                }
                uint32_t lines = 0;
                const char *p = flat, *e = flat + d.length;
                while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
                    lines++;
                    p++;
                }
                uint32_t found = 0;
                const char *q = flat;
                while ((q = strstr(q, "paste undo")) != NULL) {
                    found++;
                    q += 10;
                }
                lines_total += lines;
                found_total += found;
                uint32_t mid = d.length / 2;
                h = mix64(h, d.length);
                h = mix64(h, d.npieces);
                h = mix64(h, (uint64_t)lines << 32 | found);
                h = mix64(h, (uint64_t)(unsigned char)flat[mid] << 8 | (unsigned char)flat[d.length - 1]);
            }
        }
        h = mix64(h, d.add_len);
        free(d.add);
        free(d.pieces);
        free(ref);
        free(flat);
        free(tmp);
        free(undo);
    }
    bench_report(start);
    printf("piece_table rounds=%d lines=%llu found=%llu max_pieces=%llu checksum=%016llx\n", scale,
           (unsigned long long)lines_total, (unsigned long long)found_total, (unsigned long long)max_pieces,
           (unsigned long long)h);
    free(orig);
    return 0;
}
