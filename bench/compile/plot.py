"""The chart of the compile-time benchmark: compile time against wasm size, log-log, one panel per
generated shape (a line per Kiln configuration and one for Wasmtime) and one panel for the C
programs and the real modules (points). A compile that timed out is drawn at the timeout with a
cross (and so are the larger sizes not run after it), one killed at the RSS cap with a star at the
time it was killed; the dotted diagonal in each panel is linear scaling, for reference.
"""
import math

from engines import WASMTIME
from gen_shapes import SHAPES

PANEL_GROUPS = list(SHAPES)


def draw(rows, labels, timeout, path, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib unavailable: no chart")
        return False

    colours = {label: plt.cm.tab10(i % 10) for i, label in enumerate(l for l in labels if l != WASMTIME)}
    colours[WASMTIME] = "black"
    # Shared decade-aligned axes, so the shapes compare at a glance.
    figure, axes = plt.subplots(2, 3, figsize=(15, 9), squeeze=False, sharex=True, sharey=True)
    panels = [(group, [r for r in rows if r["group"] == group]) for group in PANEL_GROUPS]
    panels.append(("C programs and real modules", [r for r in rows if r["group"] in ("program", "real")]))
    for axis, (name, members) in zip(axes.flat, panels):
        _panel(axis, name, members, labels, colours, timeout, connect=name in PANEL_GROUPS)
    low, high = _time_range(rows, labels, timeout)
    axes[0][0].set_xlim(0.01, 100)
    axes[0][0].set_ylim(low, high)
    axes[0][2].xaxis.set_tick_params(labelbottom=True)  # nothing below it but the legend
    legend_axis = axes.flat[-1]
    legend_axis.axis("off")
    handles = [plt.Line2D([], [], color=colours[l], marker="o", label=("Wasmtime" if l == WASMTIME else f"Kiln {l}"))
               for l in labels]
    handles.append(plt.Line2D([], [], color="grey", marker="x", linestyle="none", markersize=9,
                              label=f"timed out, or not run after a smaller\nmodule timed out (drawn at {timeout:g} s)"))
    handles.append(plt.Line2D([], [], color="grey", marker="*", linestyle="none", markersize=10,
                              label="killed at the RSS cap (at its time)"))
    handles.append(plt.Line2D([], [], color="grey", linestyle=":", label="linear scaling"))
    legend_axis.legend(handles=handles, loc="center", fontsize=11, frameon=False)
    figure.suptitle(title, fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def _panel(axis, name, members, labels, colours, timeout, connect):
    axis.set_title(name)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("wasm size (MB)")
    axis.set_ylabel("compile time (s)")
    axis.grid(True, which="both", alpha=0.25)
    if not members:
        axis.text(0.5, 0.5, "no modules", ha="center", va="center", transform=axis.transAxes)
        return
    members = sorted(members, key=lambda r: r["wasm_bytes"])
    for label in labels:
        done, late, too_big = [], [], []
        for row in members:
            summary = row["results"][label]
            x = row["wasm_bytes"] / 1e6
            if summary.get("status") == "ok":
                done.append((x, summary["seconds"]))
            elif summary.get("status") == "timeout" or summary.get("reason") == "after-timeout":
                late.append((x, timeout))
            elif summary.get("status") == "memory":
                too_big.append((x, summary["seconds"]))
        style = "-o" if connect else "o"
        if done:
            axis.plot(*zip(*done), style, color=colours[label], markersize=4, linewidth=1.2, alpha=0.9)
        if late:
            axis.plot(*zip(*late), "x", color=colours[label], markersize=9)
        if too_big:
            axis.plot(*zip(*too_big), "*", color=colours[label], markersize=10)
    if not connect:  # name the real modules
        for row in members:
            if row["group"] == "real":
                axis.annotate(row["name"], (row["wasm_bytes"] / 1e6, _top_time(row, timeout)), fontsize=7,
                              xytext=(3, 3), textcoords="offset points")
    _linear_guide(axis, members, labels)


def _top_time(row, timeout):
    times = [s.get("seconds") or timeout for s in row["results"].values()
             if s.get("status") in ("ok", "timeout", "memory")]
    return max(times) if times else timeout


def _time_range(rows, labels, timeout):
    """Whole decades around every time drawn."""
    times = [s["seconds"] for r in rows if r["group"] != "floor" for l in labels
             for s in [r["results"][l]] if s.get("status") in ("ok", "timeout", "memory") and s.get("seconds")]
    if not times:
        return 0.01, 10
    return 10 ** math.floor(math.log10(min(times))), 10 ** math.ceil(math.log10(max(times)))


def _linear_guide(axis, members, labels):
    """A dotted line of slope 1 through the fastest engine's smallest module."""
    smallest = members[0]
    times = [smallest["results"][l]["seconds"] for l in labels if smallest["results"][l].get("status") == "ok"]
    if not times:
        return
    x0, y0 = smallest["wasm_bytes"] / 1e6, min(times)
    x1 = members[-1]["wasm_bytes"] / 1e6
    if x1 <= x0 * 1.01:
        return
    axis.plot([x0, x1], [y0, y0 * x1 / x0], ":", color="grey", linewidth=1)
