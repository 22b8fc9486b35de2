def test_api_docs_load_their_scripts_from_our_origin_with_the_nonce(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<style>" not in page
    nonce = response.wsgi_request.csp_nonce
    assert page.count(f'nonce="{nonce}"') == 3
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_api_docs_are_not_public(client):
    assert client.get("/api/v1/docs/").status_code in (401, 403)
