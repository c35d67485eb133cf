"""Speed of the local recording model (Qwen2.5-Coder-1.5B-Instruct, llama-cpp-python, 2 cores) per
article: one pass per chunk (`--strategy single`), one focused pass per candidate sentence
(`--strategy sentences`) and several numbered sentences a call (`--strategy batches`, the default),
with the claims each yields.

    python benchmarks/recording_speed.py

Seconds and calls come from each cassette's metadata (`recorded_with.seconds`, `interactions`),
measured by `claimdiff record` when the recording was made; nothing here starts the model. Claims
come from replaying the same recordings through today's pipeline, so they are what each strategy's
recorded answers yield now. Recording conditions (threads, competing load) are in the README.
"""

from __future__ import annotations

from _seeds import PROMPTS, cassette, replay, seed_articles


def main() -> None:
    articles = seed_articles()
    results = {s: replay(s) for s in PROMPTS}
    print(
        f"{'article':<26} {'strategy':<9} {'calls':>5} {'seconds':>8} {'s/call':>6} {'claims':>6} "
        f"{'verified':>8} {'s/verified':>10} {'model':<28} recorded"
    )
    totals: dict[str, list[float]] = {s: [0, 0, 0, 0, 0] for s in PROMPTS}
    for a in articles:
        name = a.source.rsplit("/", 1)[-1]
        for strategy in PROMPTS:
            data = cassette(strategy, a.id)
            r = results[strategy][name]
            if data is None:
                print(f"{name:<26} {strategy:<9}  no recording ({r.status}: the model did not finish it)")
                continue
            meta = data["metadata"]["recorded_with"]
            seconds, calls = float(meta["seconds"]), int(meta["interactions"])
            per_verified = f"{seconds / r.verified:>10.1f}" if r.verified else f"{'—':>10}"
            print(
                f"{name:<26} {strategy:<9} {calls:>5} {seconds:>8.1f} {seconds / calls:>6.1f} {r.claims:>6} "
                f"{r.verified:>8} {per_verified} {meta['model']:<28} {meta['recorded_at']}"
            )
            t = totals[strategy]
            for i, v in enumerate((1, calls, seconds, r.claims, r.verified)):
                t[i] += v
    print()
    for strategy, (n, calls, seconds, claims, verified) in totals.items():
        if not n:
            continue
        print(
            f"{strategy:<9}: {int(n)} recorded articles, {seconds / n:.0f} s an article, "
            f"{seconds / calls:.1f} s a call, "
            f"{claims / n:.1f} claims and {verified / n:.1f} verified an article, "
            f"{seconds / max(verified, 1):.1f} s a verified claim"
        )
    both = [
        a
        for a in articles
        if cassette("single", a.id) is not None and cassette("sentences", a.id) is not None
    ]
    if both:
        names = ", ".join(a.source.rsplit("/", 1)[-1][:3] for a in both)
        line = []
        for strategy in PROMPTS:
            secs = sum(float(cassette(strategy, a.id)["metadata"]["recorded_with"]["seconds"]) for a in both)  # type: ignore[index]
            claims = sum(results[strategy][a.source.rsplit("/", 1)[-1]].verified for a in both)
            line.append(
                f"{strategy} {secs / len(both):.0f} s and {claims / len(both):.1f} verified claims an article"
            )
        print(f"on the articles recorded both ways ({names}): " + "; ".join(line))


if __name__ == "__main__":
    main()
