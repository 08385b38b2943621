"""Reading a response's Content-Security-Policy, for the tests that check it."""


def policy_of(response) -> dict[str, list[str]]:
    """The policy's directives: ``{"script-src": ["'self'"], …}``; KeyError when the response has none."""
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def is_strict(response) -> bool:
    """The response has the policy, and it lets no inline script, handler, javascript: URL or style run."""
    if "Content-Security-Policy" not in response:
        return False
    policy = policy_of(response)
    return (
        policy.get("default-src") == ["'none'"]
        and "'self'" in policy.get("script-src", [])
        and not any("unsafe" in value or value in ("*", "data:") for value in policy.get("script-src", []))
        and not any("unsafe" in value for value in policy.get("style-src", []))
    )
