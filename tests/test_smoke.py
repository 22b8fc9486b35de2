def test_public_home_page_answers_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
