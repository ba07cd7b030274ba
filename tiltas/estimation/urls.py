from django.urls import URLPattern, URLResolver, path, re_path

from tiltas.estimation import views

app_name = "estimation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.estimation_list, name="list"),
    path("new/", views.estimation_create, name="create"),
    re_path(r"^(?P<reference>EST-[0-9]{4}-[0-9]{4,})/$", views.estimation_detail, name="detail"),
]
