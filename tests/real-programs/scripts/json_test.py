# json: dumps and loads round trips, formatting options, floats, unicode and errors.
import json

doc = {
    "name": "kiln",
    "version": [0, 3, 0],
    "nested": {"list": [1, 2.5, -3e-7, True, False, None], "empty": {}, "unicode": "h\u00e9llo \u2603 \U0001f600"},
    "numbers": [i * i for i in range(20)],
    "big": 2 ** 70,
    "floats": [0.1, 1 / 3, 1e300, -0.0, 123456789.125],
}
text = json.dumps(doc, sort_keys=True)
print(text)
print(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False))
back = json.loads(text)
print("round trip equal:", back == doc, "type of big:", type(back["big"]).__name__)
records = [{"id": i, "tags": [f"t{j}" for j in range(i % 4)], "score": i / 7} for i in range(200)]
blob = json.dumps(records, separators=(",", ":"))
print("records:", len(blob), "bytes;", sum(r["id"] for r in json.loads(blob)), round(sum(r["score"] for r in json.loads(blob)), 9))
for bad in ['{"a": }', "[1, 2", '{"a" 1}', "nul"]:
    try:
        json.loads(bad)
    except json.JSONDecodeError as e:
        print("JSONDecodeError:", e.msg, "at line", e.lineno, "column", e.colno)
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
print(json.dumps([Point(1, 2), Point(3, 4)], default=lambda o: {"x": o.x, "y": o.y}))
