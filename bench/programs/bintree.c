/* bintree — allocation-heavy: builds, walks and frees many short-lived binary trees with malloc,
 * alongside a long-lived random binary search tree that grows and shrinks. */
#include "bench.h"

typedef struct node { struct node *left, *right; int32_t key; int32_t pad; } node;

static node *build(int depth, int32_t key)
{
    node *n = malloc(sizeof *n);
    n->key = key;
    n->pad = depth;
    if (depth == 0) {
        n->left = n->right = NULL;
    } else {
        n->left = build(depth - 1, key * 2);
        n->right = build(depth - 1, key * 2 + 1);
    }
    return n;
}

static int64_t walk(const node *n)
{
    return n->left ? n->key + walk(n->left) - walk(n->right) : n->key;
}

static void destroy(node *n)
{
    if (n->left) { destroy(n->left); destroy(n->right); }
    free(n);
}

/* Unbalanced BST keyed by random numbers: insert, or delete when the key exists. */
static node *bst_toggle(node *root, int32_t key, int *size)
{
    node **link = &root;
    while (*link && (*link)->key != key)
        link = key < (*link)->key ? &(*link)->left : &(*link)->right;
    node *n = *link;
    if (!n) {
        n = calloc(1, sizeof *n);
        n->key = key;
        *link = n;
        ++*size;
        return root;
    }
    if (!n->left) *link = n->right;
    else if (!n->right) *link = n->left;
    else {
        node **m = &n->right;   /* the leftmost node of the right subtree replaces n */
        while ((*m)->left) m = &(*m)->left;
        node *succ = *m;
        *m = succ->right;
        succ->left = n->left;
        succ->right = n->right;
        *link = succ;
    }
    free(n);
    --*size;
    return root;
}

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 15);
    bench_rng rng = { 99 };
    double start = bench_now();
    int64_t total = 0;
    node *root = NULL;
    int size = 0;
    for (int r = 0; r < scale; r++) {
        for (int d = 4; d <= 16; d += 2) {
            int trees = 1 << (17 - d);
            for (int t = 0; t < trees; t++) {
                node *tree = build(d, t);
                total += walk(tree);
                destroy(tree);
            }
        }
        for (int k = 0; k < 200000; k++)
            root = bst_toggle(root, (int32_t)rng_below(&rng, 1 << 17), &size);
        total += size;
    }
    bench_report(start);
    printf("bintree reps=%d total=%lld bst=%d\n", scale, (long long)total, size);
    return 0;
}
