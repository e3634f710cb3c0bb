"""The LLM transport every role shares: the client (client.py) over an OpenAI-compatible server, with
retries and rate limits (transport.py), the server's dialect negotiated once per run (dialect.py,
negotiated.py), JSON extraction and repair (json_repair.py), the disk cache (cache.py) and the prompt
template format (templates.py).

A leaf package: it imports the shared kernels (tools, secrets, storage, json_schema) and no pipeline
stage, so planning, generation, execution and quality can all use it without importing each other.
"""
