from django.urls import URLPattern, URLResolver, path

from tiltas.web import views

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
]
