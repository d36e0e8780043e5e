"""Gunicorn settings for running ``api.wsgi:app`` from gunicorn's own command line, the same
logging as ``smartcity serve``: ``gunicorn -c python:api.gunicorn_conf api.wsgi:app``."""

from api.access_log import ACCESS_LOG_FORMAT

logger_class = "api.access_log.AccessLogger"
accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
