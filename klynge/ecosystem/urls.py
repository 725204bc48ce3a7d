from django.urls import path

app_name = "ecosystem"
urlpatterns: list = []
