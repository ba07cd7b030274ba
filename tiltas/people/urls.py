from django.urls import URLPattern, URLResolver, path

from tiltas.people import views

app_name = "people"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("search/", views.person_search, name="search"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
]
