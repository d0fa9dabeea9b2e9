"""Text statistics shared by the app's Python functions (this folder is /opt/python/pytools on Lambda)."""
import re
from collections import Counter


def words(text):
    return re.findall(r"[\w']+", text.lower())


def summary(text, top=3):
    found = words(text)
    return {"words": len(found), "unique": len(set(found)), "top": Counter(found).most_common(top)}
