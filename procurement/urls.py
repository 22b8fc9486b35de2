"""The `procurement` URL namespace (/achats/): each sub-domain lists its patterns, all named `procurement:<name>`."""

from procurement.asr import urls as asr_urls
from procurement.contracts import urls as contract_urls
from procurement.cpv import urls as cpv_urls
from procurement.sourcing import urls as sourcing_urls
from procurement.spend import urls as spend_urls

app_name = "procurement"

urlpatterns = (
    asr_urls.urlpatterns
    + sourcing_urls.urlpatterns
    + cpv_urls.urlpatterns
    + spend_urls.urlpatterns
    + contract_urls.urlpatterns
)
