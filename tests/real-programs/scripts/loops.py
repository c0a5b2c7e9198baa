# Pure-Python loops: integer arithmetic, big integers, strings, lists, dicts, sets, generators.
def sieve(n):
    is_prime = bytearray([1]) * (n + 1)
    is_prime[0:2] = b"\0\0"
    for i in range(2, int(n ** 0.5) + 1):
        if is_prime[i]:
            is_prime[i * i :: i] = bytes(len(range(i * i, n + 1, i)))
    return [i for i, p in enumerate(is_prime) if p]


def collatz_longest(limit):
    best, best_len = 1, 1
    cache = {1: 1}
    for start in range(2, limit):
        n, steps = start, 0
        while n not in cache:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        total = steps + cache[n]
        cache[start] = total
        if total > best_len:
            best, best_len = start, total
    return best, best_len


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


primes = sieve(200_000)
print("primes below 200000:", len(primes), "last:", primes[-5:])
print("collatz longest below 100000:", collatz_longest(100_000))
print("fib(500) digits:", len(str(fib(500))), "mod 1e9+7:", fib(500) % 1_000_000_007)
print("2**1000 digit sum:", sum(int(d) for d in str(2 ** 1000)))
words = ["".join(chr(97 + (i * j) % 26) for j in range(1, 6)) for i in range(2000)]
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
print("distinct words:", len(counts), "most common:", sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
print("set algebra:", len(set(range(0, 10000, 3)) & set(range(0, 10000, 5))), len(set(range(0, 10000, 3)) ^ set(range(0, 10000, 5))))
matrix = [[(i * 31 + j * 17) % 101 for j in range(60)] for i in range(60)]
product = [[sum(a * b for a, b in zip(row, col)) for col in zip(*matrix)] for row in matrix]
print("matrix product trace:", sum(product[i][i] for i in range(60)))
print("sorted sample:", sorted(words, reverse=True)[:4], "float sum:", round(sum(1 / k ** 2 for k in range(1, 100_001)), 12))
