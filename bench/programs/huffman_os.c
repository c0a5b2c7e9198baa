/* huffman_os — Huffman coding of generated skewed byte data: a frequency count, the code tree built
 * with a small binary min-heap, a code table from a recursive walk of the tree, bit-packed
 * encoding (a 64-bit bit accumulator, most significant bit first) and decoding back by walking
 * the tree bit by bit, then a check that the round trip is exact. The style is classic
 * compression code built for size: small loops over bytes and bits, array-based tree and heap.
 * bench-cflags: -Os */
#include "bench.h"

#define INPUT_SIZE (1 << 20)
#define NSYM 256

typedef struct { uint32_t freq; int16_t left, right; } hnode;   /* leaves: left = right = -1 */

static uint8_t input[INPUT_SIZE], output[INPUT_SIZE];
static uint8_t packed[INPUT_SIZE * 2];
static hnode tree[2 * NSYM];
static uint64_t codes[NSYM];
static uint8_t code_len[NSYM];

/* ---- min-heap of node indices, ordered by (freq, index) so ties are deterministic ---- */

static int heap[2 * NSYM], heap_size;

static int less(int a, int b)
{
    if (tree[a].freq != tree[b].freq) return tree[a].freq < tree[b].freq;
    return a < b;
}

static void heap_push(int n)
{
    int i = heap_size++;
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!less(n, heap[parent])) break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = n;
}

static int heap_pop(void)
{
    int top = heap[0];
    int last = heap[--heap_size];
    int i = 0;
    for (;;) {
        int child = 2 * i + 1;
        if (child >= heap_size) break;
        if (child + 1 < heap_size && less(heap[child + 1], heap[child])) child++;
        if (!less(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = last;
    return top;
}

/* ---- tree and codes ---- */

static int build_tree(const uint32_t *freq)
{
    int n = 0;
    heap_size = 0;
    for (int s = 0; s < NSYM; s++) {
        tree[s].freq = freq[s];
        tree[s].left = tree[s].right = -1;
        if (freq[s]) heap_push(s);
    }
    n = NSYM;
    if (heap_size == 1) {   /* a single symbol still needs one bit */
        int only = heap_pop();
        tree[n].freq = tree[only].freq;
        tree[n].left = (int16_t)only;
        tree[n].right = (int16_t)only;
        return n;
    }
    while (heap_size > 1) {
        int a = heap_pop(), b = heap_pop();
        tree[n].freq = tree[a].freq + tree[b].freq;
        tree[n].left = (int16_t)a;
        tree[n].right = (int16_t)b;
        heap_push(n);
        n++;
    }
    return heap_pop();
}

static void assign_codes(int node, uint64_t code, int len)
{
    if (tree[node].left < 0) {
        codes[node] = code;
        code_len[node] = (uint8_t)len;
        return;
    }
    assign_codes(tree[node].left, code << 1, len + 1);
    assign_codes(tree[node].right, code << 1 | 1, len + 1);
}

/* ---- encode / decode ---- */

static size_t encode(const uint8_t *src, size_t len, uint8_t *dst)
{
    uint64_t acc = 0;
    int bits = 0;
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t s = src[i];
        acc = acc << code_len[s] | codes[s];
        bits += code_len[s];
        while (bits >= 8) {
            bits -= 8;
            dst[out++] = (uint8_t)(acc >> bits);
        }
    }
    if (bits > 0)
        dst[out++] = (uint8_t)(acc << (8 - bits));
    return out;
}

static size_t decode(const uint8_t *src, int root, uint8_t *dst, size_t count)
{
    size_t in = 0;
    int bit = 7;
    for (size_t i = 0; i < count; i++) {
        int node = root;
        while (tree[node].left >= 0) {
            int b = (src[in] >> bit) & 1;
            if (--bit < 0) { bit = 7; in++; }
            node = b ? tree[node].right : tree[node].left;
        }
        dst[i] = (uint8_t)node;
    }
    return in;
}

/* Skewed data: mostly a few "letters", some of a wider set, rarely any byte; in runs of words. */
static void generate(bench_rng *rng)
{
    static const char common[] = "etaoinshrdlu  ";
    for (size_t i = 0; i < INPUT_SIZE; i++) {
        uint32_t pick = rng_below(rng, 100);
        uint8_t c;
        if (pick < 70)
            c = (uint8_t)common[rng_below(rng, rng_below(rng, 2) ? 6 : sizeof common - 1)];
        else if (pick < 95)
            c = (uint8_t)(0x40 + rng_below(rng, 64));
        else
            c = (uint8_t)rng_below(rng, 256);
        input[i] = c;
    }
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 35);
    bench_rng rng = { 12345 };
    generate(&rng);
    double start = bench_now();
    uint64_t h = 1469598103934665603ULL;
    size_t packed_len = 0;
    for (int r = 0; r < scale; r++) {
        for (int k = 0; k < 64; k++)   /* vary the input a little */
            input[rng_below(&rng, INPUT_SIZE)] = (uint8_t)rng_below(&rng, 256);
        uint32_t freq[NSYM] = { 0 };
        for (size_t i = 0; i < INPUT_SIZE; i++)
            freq[input[i]]++;
        int root = build_tree(freq);
        memset(codes, 0, sizeof codes);
        memset(code_len, 0, sizeof code_len);
        assign_codes(root, 0, 0);
        packed_len = encode(input, INPUT_SIZE, packed);
        size_t used = decode(packed, root, output, INPUT_SIZE);
        if (memcmp(input, output, INPUT_SIZE) != 0 || used > packed_len) {
            printf("huffman round trip failed at repetition %d\n", r);
            return 1;
        }
        h = mix64(h, packed_len);
        for (int s = 0; s < NSYM; s++)
            h = mix64(h, (uint64_t)code_len[s] << 32 | (uint32_t)codes[s]);
        h = mix64(h, packed[packed_len / 2]);
    }
    bench_report(start);
    printf("huffman_os input=%d reps=%d packed=%zu checksum=%016llx\n", INPUT_SIZE, scale, packed_len,
           (unsigned long long)h);
    return 0;
}
