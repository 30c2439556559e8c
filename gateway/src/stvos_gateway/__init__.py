"""The gateway: the route table, the embedded gateway (and the HTTP server it runs in), nginx rendering."""
