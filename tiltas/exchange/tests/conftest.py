import pytest

from tiltas.accounts.models import Organisation
from tiltas.accounts.testing import persona


@pytest.fixture
def police(lt_profile):
    return Organisation.objects.get(code="LT-LCPB")


@pytest.fixture
def supervisor(lt_profile):
    return persona("LT-LCPB", "supervisor")
