"""`make bench`: every benchmark, one module per part (`python -m eval.bench` runs them all: main.py).

    main.py         the table: quality on the labelled sets, ingest, synthetic indexes, then each part below
    work.py         the measuring done in a fresh child process (build, measure, synthetic, answers latency)
    report.py       eval/report.md, the terminal table and the Recall@k chart
    readers.py      PDF/OCR reading speed and character error;  synth.py: the synthetic indexes
    app.py          the page in a browser;  load.py: the page server under N websocket sessions
    api.py          the HTTP API under load;  engines.py: the embedding engines side by side
    startup.py      a one-shot `tracuu search` and the import time of each heavy dependency
    answers.py      answers on the directives set (odd / even ids);  obligations.py: 20 obligation questions
    serve.py        starts the page server (and CHROMIUM_ARGS, the browser's flags) for benches and tests
    api_server.py   starts `tracuu serve` in a subprocess for benches and tests

Each part also runs alone: `python -m eval.bench.PART --help`. Nothing is imported here, so importing
one part does not import the others.
"""
