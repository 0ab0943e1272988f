-- The analyst's views over the resolved facts. indicator_panel is generated from the core codes of
-- pipelines/rules/facts_codes.csv by pipelines.sql.apply_views, so it is not here.

-- A target's bound says what the goal is (不少于 100: at least 100 is met); an actual's bound says how well its value is
-- known (首破千亿: at least 1000亿元, not exactly), so an attainment computed from it carries the same bound.
CREATE OR REPLACE VIEW targets_vs_actuals AS
SELECT t.region,
       t.indicator,
       t.measure,
       t.year,
       t.period AS target_period,
       t.value AS target_value,
       t.value_max AS target_value_max,
       t.bound AS target_bound,
       t.unit,
       a.period AS actual_period,
       a.value AS actual_value,
       a.value_max AS actual_value_max,
       a.bound AS actual_bound,
       d.value AS attainment_pct,
       d.bound AS attainment_bound,
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

-- Every fact as a person reads it: the indicator's Chinese name, the value in the unit the report wrote (亿元 or 万元
-- for money, 家/项/件 ... for counts, % for percents), the bound in words and the sentence it stands in.
CREATE OR REPLACE VIEW facts_readable AS
WITH shown AS (
    SELECT f.*,
           m.raw_unit,
           CASE
               WHEN f.unit = 'CNY' AND m.raw_unit IN ('万元', '万') THEN '万元'
               WHEN f.unit = 'CNY' AND m.raw_unit = '元' THEN '元'
               WHEN f.unit = 'CNY' THEN '亿元'
               WHEN f.unit = 'percent' THEN '%'
               WHEN f.unit = 'pp' THEN '个百分点'
               WHEN f.unit = 'rank' THEN '位'
               ELSE coalesce(nullif(m.raw_unit, ''), nullif(f.unit, 'count'), '')
           END AS unit_shown
    FROM facts f
    LEFT JOIN mentions m ON m.doc_id = f.doc_id AND m.mention_id = f.mention_id
), scaled AS (
    SELECT *,
           CASE unit_shown WHEN '亿元' THEN 1e8 WHEN '万元' THEN 1e4 ELSE 1 END AS scale
    FROM shown
)
SELECT s.fact_id,
       coalesce(i.name_zh, s.indicator) AS indicator_name,
       s.indicator,
       s.region,
       s.year,
       s.period,
       s.kind,
       s.measure,
       round(s.value / s.scale, 6) AS value,
       round(s.value_max / s.scale, 6) AS value_max,
       s.unit_shown AS unit,
       s.bound,
       CASE
           WHEN s.value IS NULL THEN '(masked)'
           ELSE concat(
               CASE s.bound WHEN 'at_least' THEN '≥ ' WHEN 'at_most' THEN '≤ ' WHEN 'about' THEN '约 ' ELSE '' END,
               regexp_replace(round(s.value / s.scale, 6)::VARCHAR, '\.0$', ''),
               CASE WHEN s.bound = 'range' AND s.value_max IS NOT NULL
                    THEN concat('–', regexp_replace(round(s.value_max / s.scale, 6)::VARCHAR, '\.0$', '')) ELSE '' END,
               s.unit_shown)
       END AS value_shown,
       substr(d.text, s.span_start + 1, s.span_end - s.span_start) AS as_written,
       sen.text AS sentence,
       s.source_file,
       d.title,
       s.doc_id,
       s.span_start,
       s.span_end
FROM scaled s
LEFT JOIN indicators i ON i.code = s.indicator
LEFT JOIN documents d ON d.doc_id = s.doc_id
LEFT JOIN sentences sen ON sen.doc_id = s.doc_id AND sen.sentence_id = s.sentence_id
ORDER BY s.source_file, s.doc_id, s.span_start, s.indicator, s.measure;
