"""python-wordpress-xmlrpc 2.3 against a running ferry: list blogs, upload a photo, publish a
post using it, edit it, list recent posts, delete it; save a draft, which the blog's feed does
not show, and publish it. Prints one JSON line of what it saw;
any failure raises (exit status 1). Arguments: XML-RPC URL, handle, password, photo path."""
import collections
import collections.abc
import json
import sys
import urllib.request

# The library predates Python 3.10, which moved these names; set here, not in the library.
collections.Iterable = collections.abc.Iterable
collections.Mapping = collections.abc.Mapping

from wordpress_xmlrpc import Client, WordPressPost
from wordpress_xmlrpc.compat import xmlrpc_client
from wordpress_xmlrpc.methods import media, posts, taxonomies, users

url, handle, password, photo_path = sys.argv[1:5]
client = Client(url, handle, password)
seen = {}

blogs = client.call(users.GetUsersBlogs())
seen["blogs"] = [blog.id for blog in blogs]

with open(photo_path, "rb") as photo:
    data = {"name": "beach.png", "type": "image/png", "bits": xmlrpc_client.Binary(photo.read())}
uploaded = client.call(media.UploadFile(data))
seen["photo"] = uploaded["url"]

post = WordPressPost()
post.title = "Written in Python"
post.content = '<p>From the library.</p><p><img src="%s" alt="The beach"></p>' % uploaded["url"]
post.terms_names = {"post_tag": ["python", "editors"]}
post.post_status = "publish"
post.id = client.call(posts.NewPost(post))
seen["id"] = post.id

post.title = "Written in Python, then edited"
client.call(posts.EditPost(post.id, post))
read = client.call(posts.GetPost(post.id))
seen["title"] = read.title
seen["link"] = read.link
seen["tags"] = sorted(term.name for term in read.terms)
seen["date"] = read.date.isoformat()
seen["terms"] = sorted(term.name for term in client.call(taxonomies.GetTerms("post_tag")))

recent = client.call(posts.GetPosts({"number": 5}))
seen["recent"] = [item.title for item in recent]

seen["deleted"] = client.call(posts.DeletePost(post.id))
seen["after"] = [item.id for item in client.call(posts.GetPosts({"number": 50}))]

def in_feed(title):
    feed = blogs[0].url + "feed.atom"
    with urllib.request.urlopen(feed) as response:
        return "in the feed" if title in response.read().decode("utf-8") else "not in the feed"


draft = WordPressPost()
draft.title = "Saved for later"
draft.content = "<p>Not finished.</p>"
draft.post_status = "draft"
draft.id = client.call(posts.NewPost(draft))
seen["draft"] = [client.call(posts.GetPost(draft.id)).post_status, in_feed(draft.title)]
draft.post_status = "publish"
client.call(posts.EditPost(draft.id, draft))
seen["published"] = [client.call(posts.GetPost(draft.id)).post_status, in_feed(draft.title)]
print(json.dumps(seen))
