"""Turns the benchmark's samples into summaries, the markdown tables and the JSON document.

A cell's time is the median over the repetitions; "±N%" is half the range (max - min) of the
repetitions relative to the median. A compile that hit the timeout is "> T s" (its later
repetitions, and larger modules of the same shape in the same configuration, are not run and
read "> T s (not run)").
"""
import statistics
from dataclasses import asdict

from engines import WASMTIME


def summarize(samples, not_run_reason=None):
    """One engine on one module: status, median seconds, spread, peak RSS, output size."""
    if not samples:
        return {"status": "not run", "reason": not_run_reason or "", "reps": 0}
    ok = [s for s in samples if s.status == "ok"]
    summary = {"reps": len(samples), "samples": [asdict(s) for s in samples]}
    if any(s.status == "timeout" for s in samples):
        summary.update(status="timeout", seconds=max(s.seconds for s in samples))
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
    if kiln.get("status") in ("timeout", "not run") and kiln.get("seconds"):
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
    """The median peak RSS; "≥" for a compile killed at the timeout (its peak so far)."""
    kb = summary.get("peak_rss_kb")
    if kb is None:
        return "–"
    return ("≥ " if summary.get("status") == "timeout" else "") + f"{kb / 1024:.0f} MiB"


def time_text(summary, timeout):
    status = summary.get("status")
    if status == "ok":
        seconds = summary["seconds"]
        value = f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"
        return value + (f" ±{summary['spread_pct']:.0f}%" if summary["reps"] > 1 else "")
    if status == "timeout":
        return f"> {timeout:g} s"
    if status == "not run":
        return f"> {timeout:g} s (not run)" if summary.get("reason") == "smaller-timed-out" else "not run"
    return "failed"


def markdown_tables(rows, labels, timeout):
    """Two tables: compile times with the ratio to Wasmtime, then peak RSS and .so sizes."""
    kiln_labels = [label for label in labels if label != WASMTIME]
    head = ["module", "kind", "wasm", "Wasmtime"] + [f"Kiln {label}" for label in kiln_labels]
    times = ["| " + " | ".join(head) + " |", "|" + "---|" * 3 + "---:|" * (len(head) - 3)]
    for row in rows:
        wasmtime = row["results"][WASMTIME]
        cells = [row["name"], row["group"], size_text(row["wasm_bytes"]), time_text(wasmtime, timeout)]
        for label in kiln_labels:
            kiln = row["results"][label]
            ratio, bound = ratio_to_wasmtime(kiln, wasmtime)
            cells.append(time_text(kiln, timeout) + (f" ({bound}{ratio:.1f}×)" if ratio is not None else ""))
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
