"""Flask-WebSub's subscriber against a running ferry: discovers the hub and topic of a blog's
feed, subscribes with a secret, receives a new post by push (Flask-WebSub calls its listeners
only for bodies whose X-Hub-Signature verifies), unsubscribes, and prints what happened as JSON.

Arguments: SITE TOKEN BLOG
"""
import json
import queue
import socket
import sys
import threading

import requests
from flask import Flask
from werkzeug.serving import make_server

import flask_websub.subscriber as websub
from flask_websub.subscriber import (Subscriber, SQLite3SubscriberStorage,
                                     SQLite3TempSubscriberStorage, discover)

site, token, blog = sys.argv[1:4]

# Flask-WebSub sends a secret only to hubs it reaches over https; this hub is on loopback
# over http, and the signature is what this test is about.
websub.is_secure = lambda url: True

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]

app = Flask(__name__)
app.config["SERVER_NAME"] = "127.0.0.1:%d" % port
app.config["PREFERRED_URL_SCHEME"] = "http"
subscriber = Subscriber(SQLite3SubscriberStorage("websub.sqlite"), SQLite3TempSubscriberStorage("websub-temp.sqlite"))
app.register_blueprint(subscriber.build_blueprint(url_prefix="/callbacks"))

outcomes = queue.Queue()
notifications = queue.Queue()
subscriber.add_success_handler(lambda topic, callback_id, mode: outcomes.put(mode))
subscriber.add_error_handler(lambda topic, callback_id, reason: outcomes.put("denied: " + reason))
subscriber.add_listener(lambda topic, callback_id, body: notifications.put(body.decode("utf-8")))

server = make_server("127.0.0.1", port, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()

found = discover("%s/%s/feed.atom" % (site, blog))
result = {"hub": found["hub_url"], "topic": found["topic_url"]}
with app.app_context():
    callback_id = subscriber.subscribe(secret="a secret of the subscriber's own", lease_seconds=3600, **found)
    result["subscribed"] = outcomes.get(timeout=20)

    title = "Pushed to Flask-WebSub"
    posted = requests.post(
        "%s/api/blogs/%s/posts" % (site, blog),
        headers={"Authorization": "Bearer " + token},
        json={"title": title, "content": "<p>By WebSub</p>"},
        timeout=10,
    )
    result["posted"] = posted.status_code
    body = notifications.get(timeout=20)
    result["received"] = title in body
    result["lease"] = subscriber.storage[callback_id]["lease_seconds"]

    subscriber.unsubscribe(callback_id)
    result["unsubscribed"] = outcomes.get(timeout=20)
    requests.post(
        "%s/api/blogs/%s/posts" % (site, blog),
        headers={"Authorization": "Bearer " + token},
        json={"title": "After leaving", "content": "<p>Not pushed</p>"},
        timeout=10,
    )
    try:
        notifications.get(timeout=2)
        result["after_unsubscribing"] = "received"
    except queue.Empty:
        result["after_unsubscribing"] = "nothing"

server.shutdown()
print(json.dumps(result))
