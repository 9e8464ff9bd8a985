import subprocess
import sys


def test_the_rules_module_imports_no_framework_database_or_io_library():
    code = (
        "import sys, app.rules.indicator, app.rules.goal, app.rules.definitions\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'fastapi', 'starlette', 'sqlalchemy', 'pydantic', 'httpx', 'asyncpg', 'aiosqlite'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
