# re: compiled patterns, groups, named groups, findall, sub with a function, split, flags.
import re

text = """2024-01-15 ERROR disk /dev/sda1 at 91% (threshold 90%)
2024-01-15 INFO  backup finished in 1234.5 s
2024-02-03 WARN  user alice@example.com failed login from 10.0.0.7
2024-02-03 ERROR user bob@example.org locked after 5 attempts
2024-03-30 INFO  rotated 17 logs, freed 2.5 GiB"""

line = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<level>[A-Z]+)\s+(?P<msg>.*)$", re.M)
for m in line.finditer(text):
    print(m.group("date"), m.group("level").lower(), len(m.group("msg")), m.span())
print("emails:", re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text))
print("numbers:", re.findall(r"\d+(?:\.\d+)?", text)[:12])
print("ip:", re.search(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b", text).groups())
print(re.sub(r"(\d+)%", lambda m: f"{int(m.group(1)) / 100:.2f}", text.splitlines()[0]))
print(re.split(r"[,\s]+", "a, b  c,d,,e"))
print(re.sub(r"(?i)error", "E", text).count("E "), bool(re.fullmatch(r"(ab)+c?", "ababab")))
print(re.findall(r"(\w)\1", "aabbcdeefgg"), re.sub(r"\b(\w+) \1\b", r"\1", "the the cat sat sat down"))
big = "x" * 5000 + "needle" + "y" * 5000
print("needle at", re.search(r"ne+dle", big).start(), len(re.findall(r"[xy]{100}", big)))
print(re.escape("a.b*c?"), re.compile(r"\s+").pattern, [p.upper() for p in re.findall(r"[aeiou]{2}", "queue bookkeeper")])
try:
    re.compile(r"(unclosed")
except re.error as e:
    print("re.error:", e)
