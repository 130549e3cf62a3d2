"""MLflow tracking: the store (`store`), compile runs as rows (`runs`), the compiled program as a pyfunc
model (`pyfunc`), and registered models by `models:/` reference (`registry`)."""
