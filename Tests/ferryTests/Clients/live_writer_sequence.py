"""Open Live Writer's account setup and publish sequence, replayed with Python's own
xmlrpc.client: RSD discovery from the blog's home page, blogger.getUsersBlogs,
metaWeblog.getRecentPosts, the temporary post it publishes and deletes to learn the blog's
layout, newMediaObject, newPost, mt.setPostCategories, editPost, and getPost reading back
permaLink. Prints one JSON line; any failure raises. Arguments: home URL, handle, password, photo."""
import html.parser
import json
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
import xmlrpc.client

home, handle, password, photo_path = sys.argv[1:5]
seen = {}


class EditURIFinder(html.parser.HTMLParser):
    edit_uri = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and (attrs.get("rel") or "").lower() == "edituri":
            self.edit_uri = attrs.get("href")


finder = EditURIFinder()
finder.feed(urllib.request.urlopen(home).read().decode("utf-8"))
rsd_url = urllib.parse.urljoin(home, finder.edit_uri)
rsd = ElementTree.fromstring(urllib.request.urlopen(rsd_url).read())
namespace = "{http://archipelago.phrasewise.com/rsd}"
apis = {api.get("name"): api for api in rsd.iter(namespace + "api")}
api = apis["MetaWeblog"]
seen["apis"] = sorted(apis)
endpoint, blog_id = api.get("apiLink"), api.get("blogID")
server = xmlrpc.client.ServerProxy(endpoint)

blogs = server.blogger.getUsersBlogs("0123456789ABCDEF", handle, password)
seen["blog"] = [blog["url"] for blog in blogs if blog["blogid"] == blog_id]
server.metaWeblog.getRecentPosts(blog_id, handle, password, 1)

# Live Writer publishes a temporary post to learn the blog's style, then deletes it.
probe = {"title": "Temporary post used for theme detection (3bfe001a-32de-4114-a6b4-4005b770f6d7)", "description": "<p>probe</p>"}
probe_id = server.metaWeblog.newPost(blog_id, handle, password, probe, True)
seen["probe"] = server.metaWeblog.getPost(probe_id, handle, password)["permaLink"]
server.blogger.deletePost("0123456789ABCDEF", probe_id, handle, password, True)

with open(photo_path, "rb") as photo:
    image = server.metaWeblog.newMediaObject(
        blog_id, handle, password, {"name": "Open-Live-Writer/beach_2.png", "type": "image/png", "bits": xmlrpc.client.Binary(photo.read())})
seen["image"] = image["url"]

content = {
    "title": "Written in Live Writer",
    "description": '<p>Hello from the desktop.</p><p><img src="%s" alt="beach"></p>' % image["url"],
    "mt_text_more": "<p>And the rest of it.</p>",
    "mt_keywords": "desktop",
    "dateCreated": xmlrpc.client.DateTime("20251224T18:30:00"),
    "mt_allow_comments": 1,
}
post_id = server.metaWeblog.newPost(blog_id, handle, password, content, True)
server.mt.setPostCategories(post_id, handle, password, [{"categoryId": "travel", "isPrimary": True}])
content["title"] = "Written in Live Writer, edited"
content["categories"] = ["travel"]
server.metaWeblog.editPost(post_id, handle, password, content, True)
post = server.metaWeblog.getPost(post_id, handle, password)
seen["title"] = post["title"]
seen["permaLink"] = post["permaLink"]
seen["categories"] = post["categories"]
seen["dateCreated"] = str(post["dateCreated"])
seen["hasMore"] = "And the rest of it." in post["description"]
print(json.dumps(seen))
