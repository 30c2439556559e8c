"""The ceiling: a bare Flask JSON endpoint, served by gunicorn as the services are (`bare_app:app`)."""
from __future__ import annotations

from flask import Flask, jsonify

app = Flask("stvos_bench_bare")


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def bare(path: str):
    """Any path: the platform's envelope around a small object, nothing else."""
    return jsonify({"success": True, "data": {"status": "ok"}})
