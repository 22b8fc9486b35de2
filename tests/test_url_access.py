"""Default deny: every URL of the project, requested anonymously, is refused unless reviewed as public.

The walker goes through the whole URLconf, so a URL added by any app is checked without touching this
file; a new *public* URL makes this test fail until its name is added to PUBLIC_URL_NAMES below,
which is the review.
"""

import itertools
import re
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

# Reviewed list of the pages an anonymous visitor may open. Keep it short and explicit.
PUBLIC_URL_NAMES = {
    "home",
    "health",  # load balancer probe
    "accessibility",
    "legal_notice",
    "accounts:login",
    "accounts:signup",
    "accounts:signup_done",
    "accounts:resend_confirmation",
    "accounts:confirm_email",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "admin:login",
    "actors:directory",  # the public directory of actors that opted in (no contact data)
    "actors:directory_geojson",
    "actors:public_detail",  # 404 unless the actor opted in
    "filieres:filiere_list",  # public: anonymous visitors see only the actors that opted in
    "filieres:filiere_detail",
    "funding:scheme_list",  # the open support schemes
    "funding:scheme_detail",  # 404 unless published
    "opendata:subsidies",  # SCDL open data of the granted subsidies (published rows only)
    "opendata:subsidies_csv",
    "opendata:subsidies_json",
    "programme:plan",  # the public plan (texts, states, dated commitments) unless one reads its tracking
    "programme:action_detail",  # likewise, an action's public page
    "api:scheme_list",  # the published support schemes
    "api:scheme_detail",
    "events:agenda",  # the public agenda: upcoming public events only
    "events:calendar_feed",  # a user's iCalendar feed: 404 unless the URL holds their unrevoked secret token
}

# Dummy values tried, in order, for each URL parameter; the first that fits the parameter's regex is used.
DUMMY_VALUES = ["1", "x", "json", "00000000-0000-0000-0000-000000000001", "MQ", "x-1", "33063"]

# A capturing group, named or not (django-simple-history's admin uses unnamed ones).
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>|\((?!\?)")
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk(patterns, prefix=(), namespace=None):
    """Yield (patterns from the root, namespaced name, URLPattern) for every URL of the project."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            child = entry.namespace
            child_namespace = f"{namespace}:{child}" if namespace and child else child or namespace
            yield from walk(entry.url_patterns, (*prefix, entry.pattern), child_namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (*prefix, entry.pattern), name, entry


def group_end(regex, start):
    """Index just after the parenthesis closing the group opened at `start`."""
    depth, index, in_class = 0, start, False
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"unbalanced group in {regex!r}")


def candidates_for(regex):
    values = [value for value in DUMMY_VALUES if re.fullmatch(regex, value)]
    if not values and re.fullmatch(r"[\w-]+(\|[\w-]+)*", regex):
        values = [regex.split("|")[0]]  # an alternation of literals, such as the admin's app labels
    return values


def pieces(pattern):
    """The URL pattern as a list of literal strings and lists of candidate values (one list per parameter)."""
    result = []
    if isinstance(pattern, RoutePattern):
        route, position = str(pattern), 0
        for match in ROUTE_PARAMETER.finditer(route):
            result.append(route[position : match.start()])
            result.append(candidates_for(pattern.converters[match["name"]].regex))
            position = match.end()
        result.append(route[position:])
        return result
    assert isinstance(pattern, RegexPattern), pattern
    regex = pattern._regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    position = 0
    for match in NAMED_GROUP.finditer(regex):
        if match.start() < position:
            continue
        end = group_end(regex, match.start())
        result.append(regex[position : match.start()])
        result.append(candidates_for(regex[match.end() : end - 1]))
        position = end
    result.append(regex[position:])
    return [unescape(piece) if isinstance(piece, str) else piece for piece in result]


def unescape(regex_text):
    text = regex_text.replace("/?", "/")
    text = re.sub(r"\\([./-])", r"\1", text)
    if re.search(r"[\\()\[\]*+?|{}]", text):
        raise ValueError(f"cannot build a URL from {regex_text!r}")
    return text


def build_url(patterns, url_pattern):
    """A URL that resolves to `url_pattern`, with dummy values for its parameters, or None."""
    try:
        parts = [piece for pattern in patterns for piece in pieces(pattern)]
    except ValueError:
        return None
    choices = [piece for piece in parts if isinstance(piece, list)]
    for values in itertools.product(*choices):
        remaining = iter(values)
        url = "/" + "".join(piece if isinstance(piece, str) else next(remaining) for piece in parts)
        try:
            if resolve(url).func is url_pattern.callback:
                return url
        except Resolver404:
            continue
    return None


ALL_URLS = [(name, patterns, url_pattern) for patterns, name, url_pattern in walk(get_resolver().url_patterns)]
BUILT = [(name, build_url(patterns, url_pattern)) for name, patterns, url_pattern in ALL_URLS]


def test_every_url_pattern_of_the_project_gets_a_url_to_check():
    unbuilt = [
        (name, "".join(str(pattern) for pattern in patterns))
        for (name, patterns, _), (_, url) in zip(ALL_URLS, BUILT, strict=True)
        if url is None
    ]
    assert unbuilt == [], "extend DUMMY_VALUES or the regex handling so these URLs are checked too"


def test_every_reviewed_public_name_still_exists():
    names = {name for name, _ in BUILT}
    assert PUBLIC_URL_NAMES <= names


def redirect_target(response):
    return urlsplit(response.headers.get("Location", "")).path


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), [entry for entry in BUILT if entry[1]], ids=lambda value: str(value))
def test_anonymous_visitors_only_reach_the_reviewed_public_urls(client, name, url):
    response = client.get(url)
    login_path = reverse("accounts:login")

    if name in PUBLIC_URL_NAMES:
        assert response.status_code in (200, 301, 302, 404), f"{url} answered {response.status_code}"
        if response.status_code in (301, 302):
            assert redirect_target(response) != login_path, f"public {url} sends to the login page"
    elif url.startswith("/api/"):
        assert response.status_code in (401, 403), f"{url} answered {response.status_code} to an anonymous user"
    elif url.startswith(reverse("admin:index")):
        # The Django admin guards its pages itself and sends to its own login page.
        assert response.status_code == 302, f"{url} answered {response.status_code}"
        assert redirect_target(response) in (login_path, reverse("admin:login")), f"{url} is not protected"
    else:
        assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous user"
        assert redirect_target(response) == login_path, f"{url} redirects elsewhere than the login page"
