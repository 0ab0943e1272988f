-- The analyst's views over the resolved facts. indicator_panel is generated from the core codes of
-- pipelines/rules/facts_codes.csv by pipelines.sql.apply_views, so it is not here.

CREATE OR REPLACE VIEW targets_vs_actuals AS
SELECT t.region,
       t.indicator,
       t.measure,
       t.year,
       t.period AS target_period,
       t.value AS target_value,
       t.bound AS target_bound,
       t.unit,
       a.period AS actual_period,
       a.value AS actual_value,
       d.value AS attainment_pct,
       d.target_met,
       t.resolved_id AS target_resolved_id,
       a.resolved_id AS actual_resolved_id,
       list_distinct(list_concat(t.doc_ids, coalesce(a.doc_ids, []))) AS doc_ids
FROM facts_resolved t
LEFT JOIN derived_metrics d
       ON d.metric = 'target_attainment_pct' AND list_contains(d.resolved_ids, t.resolved_id)
LEFT JOIN facts_resolved a
       ON a.kind = 'actual' AND list_contains(d.resolved_ids, a.resolved_id)
WHERE t.kind = 'target';

CREATE OR REPLACE VIEW conflicts AS
SELECT r.resolved_id,
       r.region,
       r.indicator,
       r.measure,
       r.year,
       r.period,
       r.kind,
       r.value AS resolved_value,
       r.distinct_values,
       s.source_rank,
       s.is_chosen,
       f.value AS stated_value,
       f.bound AS stated_bound,
       f.unit,
       f.doc_id,
       f.source_file,
       doc.published_date,
       doc.report_year,
       f.span_start,
       f.evidence,
       f.fact_id
FROM facts_resolved r
JOIN fact_sources s ON s.resolved_id = r.resolved_id
JOIN facts f ON f.fact_id = s.fact_id
LEFT JOIN documents doc ON doc.doc_id = f.doc_id
WHERE r.conflict;
