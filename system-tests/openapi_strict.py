"""Properties a response has that its schema never names.

JSON Schema lets objects carry properties their schema does not list (no `additionalProperties:
false` in the document), so a validator passes a response with fields the document forgot. This walk
finds them: an object whose schema lists `properties` must not have others, unless the schema allows
them with an `additionalProperties` schema (maps such as figures by row code). Objects described only
as `{"type": "object"}` are free-form and not walked.
"""


class StrictWalk:
    """Walks a JSON body along its schema in the document (local `$ref`s, allOf, oneOf/anyOf)."""

    def __init__(self, document):
        self.document = document

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 50:
            target = self.document
            for part in schema["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            schema, seen = target, seen + 1
        return schema

    def response_schema(self, template, method, status, content_type):
        """The schema of one documented response, or None (no body schema)."""
        operation = self.document["paths"][template][method.lower()]
        responses = operation.get("responses", {})
        response = self.resolve(responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default"))
        if not isinstance(response, dict):
            return None
        media = (response.get("content") or {}).get(content_type.split(";")[0].strip())
        return self.resolve(media.get("schema")) if isinstance(media, dict) else None

    def views(self, schema, value):
        """The schema and every subschema that applies to `value` (allOf; the best-fitting oneOf/anyOf branch)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        out = [schema]
        for part in schema.get("allOf", []):
            out += self.views(part, value)
        for key in ("oneOf", "anyOf"):
            branches = [b for b in schema.get(key, []) if self._fits(self.resolve(b), value)]
            if branches:
                out += min((self.views(b, value) for b in branches), key=lambda v: len(self._extras_of(v, value, "")))
        return out

    @staticmethod
    def _fits(schema, value):
        kind = schema.get("type") if isinstance(schema, dict) else None
        if kind is None:
            return True
        kinds = kind if isinstance(kind, list) else [kind]
        names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
        actual = names.get(type(value)) or ("integer" if isinstance(value, int) else "number")
        return actual in kinds or (actual == "integer" and "number" in kinds)

    def extras(self, schema, value, where=""):
        """["at /report/errors/0: undocumented property `x`", …]"""
        return self._extras_of(self.views(schema, value), value, where)

    def _extras_of(self, views, value, where):
        found = []
        if isinstance(value, dict):
            listed = any("properties" in v or "patternProperties" in v for v in views)
            open_schemas = [v["additionalProperties"] for v in views
                            if "additionalProperties" in v and v["additionalProperties"] is not False]
            for key, item in value.items():
                subschemas = [v["properties"][key] for v in views if key in v.get("properties", {})]
                if not subschemas:
                    if listed and not open_schemas:
                        found.append(f"at {where or '/'}: undocumented property `{key}`")
                        continue
                    subschemas = [s for s in open_schemas if isinstance(s, dict)]
                sub_views = [view for sub in subschemas for view in self.views(sub, item)]
                found += self._extras_of(sub_views, item, f"{where}/{key}")
        elif isinstance(value, list):
            items = [v["items"] for v in views if isinstance(v.get("items"), dict)]
            for index, item in enumerate(value):
                sub_views = [view for sub in items for view in self.views(sub, item)]
                found += self._extras_of(sub_views, item, f"{where}/{index}")
        return found
