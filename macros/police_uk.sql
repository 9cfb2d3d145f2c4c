{#- The local authority of a data.police.uk LSOA name: the name less its code ("Camden
    027C" is Camden, "Bristol, City of 012A" is "Bristol, City of"). -#}
{% macro local_authority_of_lsoa(lsoa_name) -%}
    nullif(trim(regexp_replace({{ lsoa_name }}, ' [0-9]{3}[A-Z]$', '')), '')
{%- endmacro %}

{#- The area a row with no location counts in (force-wide, and listed as such). -#}
{% macro no_location() -%}
    NO_LOCATION
{%- endmacro %}
