"""Where a catalog request spends its time, without a server: cProfile around the Flask app.

Seeds the same catalog as ``run.py`` into a throw-away database, builds the app with
``create_app`` (public cache off: every request builds its answer) and calls one endpoint N
times through the WSGI test client under cProfile, after a warm-up. Prints the mean wall time per request (and the reference endpoint's for
scale) and the top functions by own time and by cumulative time. Use it to find hot spots when
``run.py`` reports a missed target.

    .venv/bin/python benchmarks/catalog/profile_list.py [--backend sqlite|postgresql]
        [--path '/api/v1/products?limit=24'] [--requests 300] [--top 30]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # this benchmark, then benchmarks/ (proc.py)

from harness import DEFAULT_PG, postgresql_database, prepare, sqlite_database  # noqa: E402


def per_request_ms(client, path: str, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.data[:300])
    return (time.perf_counter() - started) / n * 1000


def timed(step, n: int, repeats: int = 5) -> tuple[float, float]:
    """(wall ms, CPU ms) per call of ``step``: the best of ``repeats`` batches of ``n`` calls,
    after a few calls to warm it. The best batch is the one least disturbed by other load."""
    for _ in range(5):
        step()
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            step()
        best_wall = min(best_wall, (time.perf_counter() - wall) / n * 1000)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / n * 1000)
    return best_wall, best_cpu


def list_breakdown(app, n: int) -> list[tuple[str, float, float]]:
    """The list request's steps, timed one by one without a profiler (same calls as the view).

    Written against the app's current modules (api.catalog, commerce.catalog.browse, ...);
    if they are renamed this part needs following, the rest of the script does not.
    """
    from api import context
    from api.catalog import BrowseQuery, available_units
    from api.serializers import product_summary
    from commerce.catalog.browse import browse_products

    storage = app.extensions["smartcity"].storage
    steps = []

    def in_request(body):
        def step():
            with app.test_request_context("/api/v1/products?limit=24"):
                try:
                    body()
                finally:
                    context.close_uow()
        return step

    steps.append(("app context + unit of work open/close (empty)", in_request(lambda: context.uow())))
    steps.append(("flask-openapi3 query check: BrowseQuery.model_json_schema()",
                  lambda: BrowseQuery.model_json_schema()))
    steps.append(("pydantic BrowseQuery.model_validate", lambda: BrowseQuery.model_validate({"limit": "24"})))
    steps.append(("browse_products: 25 products + stores + variants + images (ORM)",
                  in_request(lambda: browse_products(context.uow(), limit=24))))
    steps.append(("browse_products + available_units (2 aggregate queries)",
                  in_request(lambda: available_units(browse_products(context.uow(), limit=24).items))))

    def serialise():
        page = browse_products(context.uow(), limit=24)
        available = available_units(page.items)
        return [product_summary(p, storage, available) for p in page.items]

    steps.append(("... + product_summary x 24", in_request(serialise)))
    steps.append(("... + JSON encoding (app.json.dumps)", in_request(lambda: app.json.dumps({"items": serialise()}))))
    return [(label, *timed(step, n)) for label, step in steps]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--path", default="/api/v1/products?limit=24")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-catalog-profile-")))
        if args.backend == "sqlite":
            url = stack.enter_context(sqlite_database(workdir))
        else:
            url = stack.enter_context(postgresql_database(args.pg_url))
        prepare(url, stores=500, products=10_000, images=300)

        from api import create_app
        from api.config import Settings

        settings = Settings().with_(database_url=url, storage_url=(workdir / "storage").as_uri(),
                                    ratelimit_enabled=False, var_dir=workdir)
        if hasattr(settings, "public_cache_seconds"):
            # Profile the work of building an answer, not the per-worker cache that skips it.
            settings = settings.with_(public_cache_seconds=0)
        app = create_app(settings)
        stack.callback(lambda: app.extensions["smartcity"].engine.dispose())
        client = app.test_client()
        for path in ("/api/v1/health", args.path):
            per_request_ms(client, path, 50)  # warm caches: compiled SQL, pydantic, imports
        reference = per_request_ms(client, "/api/v1/health", args.requests)
        plain = per_request_ms(client, args.path, args.requests)

        profiler = cProfile.Profile()
        profiler.enable()
        per_request_ms(client, args.path, args.requests)
        profiler.disable()

        print(f"\n{args.backend}: {args.path}: {plain:.2f} ms/request in-process (no profiler); "
              f"/api/v1/health: {reference:.2f} ms/request; ratio {plain / reference:.1f}x\n")
        if args.path.startswith("/api/v1/products?"):
            print("--- list request, step by step (cumulative where marked ...), no profiler, best of 5 batches ---")
            print(f"{'wall ms':>8} {'CPU ms':>8}  step")
            batch = max(args.requests // 5, 20)
            full_wall, full_cpu = timed(lambda: client.get(args.path), batch)
            health_wall, health_cpu = timed(lambda: client.get("/api/v1/health"), batch)
            for label, wall, cpu in list_breakdown(app, batch):
                print(f"{wall:8.3f} {cpu:8.3f}  {label}")
            print(f"{full_wall:8.3f} {full_cpu:8.3f}  whole request through the WSGI test client")
            print(f"{health_wall:8.3f} {health_cpu:8.3f}  /api/v1/health through the WSGI test client\n")
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.strip_dirs().sort_stats(order).print_stats(args.top)
            print(f"--- top {args.top} by {order} over {args.requests} requests ---")
            print("\n".join(l for l in out.getvalue().splitlines() if l.strip())[:20000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
