app_name = "mutualaid"

urlpatterns: list = []
