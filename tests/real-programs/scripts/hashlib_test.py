# hashlib and hmac: digests of several sizes, incremental updates, and the builtin algorithms.
import hashlib
import hmac

data = bytes(range(256)) * 4096  # 1 MiB
for name in ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512", "blake2b", "blake2s"]:
    print(f"{name:9} {hashlib.new(name, data).hexdigest()}")
h = hashlib.sha256()
for i in range(1000):
    h.update(str(i).encode())
print("incremental sha256:", h.hexdigest())
print("shake_128(32):", hashlib.shake_128(b"kiln").hexdigest(32))
print("empty sha256:", hashlib.sha256(b"").hexdigest())
print("hmac-sha256:", hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", "sha256").hexdigest())
print("file_digest:", hashlib.file_digest(__import__("io").BytesIO(data), "sha256").hexdigest())  # no OpenSSL: no pbkdf2_hmac
print("blake2b keyed:", hashlib.blake2b(b"message", key=b"secret", digest_size=16).hexdigest())
