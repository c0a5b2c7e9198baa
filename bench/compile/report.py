"""Turns the benchmark's samples into summaries, the markdown tables and the JSON document.

A cell's time is the median over the repetitions; "±N%" is half the range (max - min) of the
repetitions relative to the median. A compile that hit the timeout is "> T s", one killed for
going over the RSS cap "> N GiB RSS"; in both cases its later repetitions, and larger modules of
the same shape in the same configuration, are not run ("... (not run)").
"""
import statistics
from dataclasses import asdict

from engines import WASMTIME

KILLED = ("timeout", "memory")


def summarize(samples, not_run_reason=None):
    """One engine on one module: status, median seconds, spread, peak RSS, output size.
    `not_run_reason` is what stopped it before any sample: "after-timeout" or "after-memory" (a
    smaller module of the shape was killed)."""
    if not samples:
        return {"status": "not run", "reason": not_run_reason or "", "reps": 0}
    ok = [s for s in samples if s.status == "ok"]
    summary = {"reps": len(samples), "samples": [asdict(s) for s in samples]}
    killed = [s for s in samples if s.status in KILLED]
    if killed:
        summary.update(status=killed[0].status, seconds=max(s.seconds for s in killed))
    elif len(ok) < len(samples):
        failed = next(s for s in samples if s.status == "failed")
        summary.update(status="failed", message=failed.message)
    else:
        times = [s.seconds for s in ok]
        median = statistics.median(times)
        summary.update(status="ok", seconds=median, min_seconds=min(times), max_seconds=max(times),
                       spread_pct=100 * (max(times) - min(times)) / 2 / median if median else 0.0)
    rss = [s.peak_rss_kb for s in samples if s.peak_rss_kb]
    if rss:
        summary["peak_rss_kb"] = statistics.median(rss)
    sizes = [s.output_bytes for s in ok if s.output_bytes is not None]
    if sizes:
        summary["output_bytes"] = sizes[0]
    baselines = [s.baseline_rss_kb for s in ok if s.baseline_rss_kb is not None]
    if baselines:
        summary["baseline_rss_kb"] = statistics.median(baselines)
    return summary


def ratio_to_wasmtime(kiln, wasmtime):
    """Kiln's median over Wasmtime's, or a lower bound ('>') when Kiln timed out."""
    if wasmtime.get("status") != "ok" or not wasmtime.get("seconds"):
        return None, ""
    if kiln.get("status") == "ok":
        return kiln["seconds"] / wasmtime["seconds"], ""
    if kiln.get("status") in KILLED:
        return kiln["seconds"] / wasmtime["seconds"], ">"
    return None, ""


def size_text(n):
    if n is None:
        return "–"
    if n >= 1e6:
        return f"{n / 1e6:.2f} MB"
    if n >= 1e3:
        return f"{n / 1e3:.0f} kB"
    return f"{n} B"


def rss_text(summary):
    """The median peak RSS; "≥" for a compile that was killed (its peak until then)."""
    kb = summary.get("peak_rss_kb")
    if kb is None:
        return "–"
    return ("≥ " if summary.get("status") in KILLED else "") + f"{kb / 1024:.0f} MiB"


def time_text(summary, limits):
    status = summary.get("status")
    if status == "ok":
        seconds = summary["seconds"]
        value = f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"
        return value + (f" ±{summary['spread_pct']:.0f}%" if summary["reps"] > 1 else "")
    if status == "timeout" or summary.get("reason") == "after-timeout":
        return f"> {limits.timeout:g} s" + (" (not run)" if status == "not run" else "")
    if status == "memory" or summary.get("reason") == "after-memory":
        cap = f"> {limits.max_rss_kb / 2**20:.3g} GiB RSS"
        return (f"{cap} after {summary['seconds']:.3g} s" if status == "memory" else f"{cap} (not run)")
    if status == "not run":
        return "not run"
    return "failed"


def markdown_tables(rows, labels, limits):
    """Two tables: compile times with the ratio to Wasmtime, then peak RSS and .so sizes."""
    kiln_labels = [label for label in labels if label != WASMTIME]
    head = ["module", "kind", "wasm", "Wasmtime"] + [f"Kiln {label}" for label in kiln_labels]
    times = ["| " + " | ".join(head) + " |", "|" + "---|" * 3 + "---:|" * (len(head) - 3)]
    for row in rows:
        wasmtime = row["results"][WASMTIME]
        cells = [row["name"], row["group"], size_text(row["wasm_bytes"]), time_text(wasmtime, limits)]
        for label in kiln_labels:
            kiln = row["results"][label]
            ratio, bound = ratio_to_wasmtime(kiln, wasmtime)
            cells.append(time_text(kiln, limits) + (f" ({bound}{ratio:.1f}×)" if ratio is not None else ""))
        times.append("| " + " | ".join(cells) + " |")

    head = ["module", "wasm", "Wasmtime peak RSS"] + [f"Kiln {label}: peak RSS, .so" for label in kiln_labels]
    memory = ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for row in rows:
        wasmtime = row["results"][WASMTIME]
        cells = [row["name"], size_text(row["wasm_bytes"]), rss_text(wasmtime)]
        for label in kiln_labels:
            kiln = row["results"][label]
            cells.append(f"{rss_text(kiln)}, {size_text(kiln.get('output_bytes'))}")
        memory.append("| " + " | ".join(cells) + " |")
    return "\n".join(times), "\n".join(memory)


def per_megabyte(rows, labels):
    """Seconds per MB of wasm for every completed compile (for the JSON and the plot)."""
    for row in rows:
        for label in labels:
            summary = row["results"][label]
            if summary.get("status") == "ok":
                summary["seconds_per_mb"] = summary["seconds"] / (row["wasm_bytes"] / 1e6)
