"""The app factory: configuration, database, storage, payment providers and blueprints."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import jsonify, redirect
from flask_openapi3 import Info
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from api.clients import load_secret_key
from api.config import Settings
from api.openapi import SmartCityOpenAPI
from api.worker import Jobs
from api.problems import register_error_handlers, validation_problem
from commerce.db import make_engine, make_session_factory
from commerce.payments import PaymentSettings, providers
from sites.storage import ObjectStorage, open_storage

__all__ = ["create_app", "Wiring"]

API_DESCRIPTION = """API Behambinan, pasar daring UMKM Kota Samarinda.

Masuk dengan `POST /api/v1/auth/token`, lalu kirim `Authorization: Bearer <token>`.
Uang dalam rupiah bulat. Galat berbentuk `application/problem+json` (RFC 9457).
"""


@dataclass
class Wiring:
    """What the app factory built, reachable from views through :mod:`api.context`."""

    settings: Settings
    engine: object
    session_factory: sessionmaker
    storage: ObjectStorage
    payment_providers: dict
    secret_key: bytes  # api.clients: pseudonyms of client addresses
    jobs: Jobs  # the worker's queue: views enqueue, `smartcity worker` runs


def create_app(settings: Settings | None = None) -> SmartCityOpenAPI:
    settings = settings or Settings()
    app = SmartCityOpenAPI(
        __name__,
        info=Info(title="Samarinda Smart City API", version="1.0.0", description=API_DESCRIPTION),
        security_schemes={"bearer": {"type": "http", "scheme": "bearer"}},
        doc_prefix="/api/docs",
        doc_url="/openapi.json",
        validation_error_status=422,
        validation_error_callback=validation_problem,
    )
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage,
        RATELIMIT_KEY_PREFIX=settings.ratelimit_key_prefix,
        RATELIMIT_ENABLED=settings.ratelimit_enabled,
        RATELIMIT_HEADERS_ENABLED=True,
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops)

    engine = make_engine(settings.database_url)
    app.extensions["smartcity"] = Wiring(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        storage=open_storage(
            settings.storage_url, public_url=settings.storage_public_url, endpoint_url=settings.s3_endpoint_url
        ),
        payment_providers=providers(PaymentSettings(
            transfer_window=timedelta(hours=settings.transfer_hours),
            bank_name=settings.bank_name,
            bank_account_number=settings.bank_account_number,
            bank_account_name=settings.bank_account_name,
        )),
        secret_key=load_secret_key(settings.secret_key, settings.var_dir),
        jobs=Jobs(settings),
    )

    from api import accounts, admin, catalog, checkout, context, orders, point_of_sale, sales_reports, seller_catalog
    from api import seller_orders, stores, web
    from api import signatures, verify_page
    from api.extensions import limiter
    from api.public_cache import install_public_cache
    from api.requests import install_body_checks

    if settings.cors_origins:
        from flask_cors import CORS

        # The storefront on its own origin (a bucket behind a CDN) calls the API; only the
        # origins in the setting get an answer, and never with cookies.
        CORS(app, resources={r"/api/*": {"origins": [o.strip() for o in settings.cors_origins.split(",") if o.strip()]}},
             allow_headers=["Content-Type", "Authorization", "Idempotency-Key", "X-Order-Token"],
             expose_headers=["Retry-After", "X-Document-Id"], methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
             supports_credentials=False, max_age=600)
    limiter.init_app(app)
    install_body_checks(app)
    install_public_cache(app, settings.public_cache_seconds)
    register_error_handlers(app)
    app.teardown_appcontext(context.close_uow)
    for blueprint in (accounts.bp, stores.bp, seller_catalog.bp, seller_orders.bp, point_of_sale.bp, sales_reports.bp,
                      admin.bp, catalog.bp, checkout.bp, orders.bp, signatures.bp):
        app.register_api(blueprint)
    app.register_blueprint(web.bp)
    app.register_blueprint(verify_page.bp)

    @app.get("/api/v1/openapi.json", doc_ui=False)
    def openapi_document():
        return jsonify(app.api_doc)

    @app.get("/api/docs", doc_ui=False)
    def api_docs():
        return redirect("/api/docs/swagger", code=302)

    @app.get("/api/v1/health", doc_ui=False)
    def health():
        return {"status": "ok"}

    logging.getLogger("smartcity").setLevel(logging.INFO)
    return app
