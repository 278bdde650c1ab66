"""`tracuu serve`: the index over HTTP (FastAPI on uvicorn), an optional extra: pip install '.[api]'.

    app.py      create_app(index_dir): the FastAPI app, all its state made here (Ray Serve can wrap it)
    live.py     the loaded index, swapped for a new one when its manifest changes
    routes.py   the endpoints; the JSON comes from the CLI's own serializers (index.output, qa.output)
    schemas.py  request and response models (the OpenAPI schema at /openapi.json, pages at /docs)
    errors.py   every failure as a 4xx/5xx `{"error": "..."}`, never a traceback
    limits.py   size caps: body bytes, query characters, k, filter values
    client.py   a small client for programs (and the page) that use a running API

`tracuu serve` is tracuu/commands/serve.py; tests and benches start one with eval/bench/api_server.py.
Nothing here is imported by `make run`'s path; fastapi is needed only to serve.
"""
