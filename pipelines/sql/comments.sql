-- Plain-word comments, Chinese and English, on every table, view and column of the warehouse.
-- Applied by pipelines.sql.apply_comments after the tables and views exist; a statement whose table or column
-- this warehouse lacks is skipped and reported. The indicator_panel's indicator columns are commented from the
-- core codes of pipelines/rules/facts_codes.csv. Keep one statement per COMMENT ON, text in single quotes.

-- raw_files
COMMENT ON TABLE raw_files IS '原始文件清单 / every file found under the raw folder, one row per file, with what became of it';
COMMENT ON COLUMN raw_files.source_file IS '文件路径 / path relative to the raw folder, with / separators';
COMMENT ON COLUMN raw_files.byte_size IS '文件字节数 / size of the file in bytes';
COMMENT ON COLUMN raw_files.byte_sha256 IS '文件内容哈希 / SHA-256 of the file bytes';
COMMENT ON COLUMN raw_files.status IS '处理状态 / read, duplicate (same text as another file) or rejected';
COMMENT ON COLUMN raw_files.text_sha256 IS '规范化文本哈希 / SHA-256 of the normalised text; NULL when rejected';
COMMENT ON COLUMN raw_files.mtime_ns IS '修改时间 / modification time (ns); with the size, how a later build knows the file is unchanged and need not be read again';
COMMENT ON COLUMN raw_files.media_type IS '文件格式 / what the content showed the file to be (application/pdf, text/html, text/plain …), whatever its name';
COMMENT ON COLUMN raw_files.unread_parts IS '未读部分数 / parts present but not read: image-only PDF pages, pictures, charts, embedded objects';
COMMENT ON COLUMN raw_files.replaced_chars IS '替换字符数 / damaged bytes replaced by U+FFFD, plus NUL bytes dropped, in decoding the file';

-- rejected_files
COMMENT ON TABLE rejected_files IS '未能读取的文件 / files that could not be used, with the reason';
COMMENT ON COLUMN rejected_files.source_file IS '文件路径 / path relative to the raw folder';
COMMENT ON COLUMN rejected_files.byte_size IS '文件字节数 / size of the file in bytes';
COMMENT ON COLUMN rejected_files.reason IS '拒收原因代码 / empty, binary, undecodable, too_large, outside_raw_dir or unreadable';
COMMENT ON COLUMN rejected_files.detail IS '拒收说明 / the reason in a sentence a person understands';

-- documents
COMMENT ON TABLE documents IS '报告 / one row per report (a compilation file gives several)';
COMMENT ON COLUMN documents.doc_id IS '报告编号 / first 16 hex digits of the SHA-256 of the report text';
COMMENT ON COLUMN documents.source_file IS '来源文件 / the first file name (sorted) holding this text';
COMMENT ON COLUMN documents.source_files IS '全部来源文件 / every file name holding this text';
COMMENT ON COLUMN documents.part IS '文件内序号 / 1-based position of the report inside its file';
COMMENT ON COLUMN documents.file_start IS '文件内起点 / character offset where the report starts in the normalised file';
COMMENT ON COLUMN documents.file_end IS '文件内终点 / character offset where the report ends in the normalised file';
COMMENT ON COLUMN documents.text IS '正文 / the normalised report text; every span offset points into it';
COMMENT ON COLUMN documents.title IS '标题 / the report title, where found';
COMMENT ON COLUMN documents.issuer IS '发布单位 / the issuing office, where found';
COMMENT ON COLUMN documents.published_date IS '发布日期 / publication date, where found';
COMMENT ON COLUMN documents.index_number IS '索引号 / the government portal index number, where found';
COMMENT ON COLUMN documents.doc_type IS '报告类型 / annual_summary, half_year_summary, work_points, summary_and_plan or other';
COMMENT ON COLUMN documents.region IS '地区 / the region the report is about, full name; NULL when anonymised or unknown';
COMMENT ON COLUMN documents.region_level IS '地区级别 / province, city, county or zone (a development zone or new area)';
COMMENT ON COLUMN documents.province IS '所属省份 / the province of the region';
COMMENT ON COLUMN documents.report_year IS '报告年份 / the year the report is about';
COMMENT ON COLUMN documents.encoding IS '原始编码 / the encoding the file was decoded from';

-- sections
COMMENT ON TABLE sections IS '章节 / the heading tree of each report';
COMMENT ON COLUMN sections.doc_id IS '报告编号 / the report (documents.doc_id)';
COMMENT ON COLUMN sections.section_id IS '章节编号 / 0 is the text before the first heading, then in document order';
COMMENT ON COLUMN sections.parent_id IS '上级章节 / section_id of the enclosing section; NULL for the root';
COMMENT ON COLUMN sections.level IS '层级 / 0 root, 1 一、, 2 (一), 3 1., 4 一是 or (1)';
COMMENT ON COLUMN sections.number IS '章节序号 / the heading number as written';
COMMENT ON COLUMN sections.heading IS '标题文字 / heading text without its number';
COMMENT ON COLUMN sections.role IS '章节作用 / achievements, problems, plans or other';
COMMENT ON COLUMN sections.heading_year IS '标题年份 / a year named in this heading or an enclosing one';
COMMENT ON COLUMN sections.heading_period IS '标题时段 / H1 or H2 when the heading names a half year';
COMMENT ON COLUMN sections."start" IS '起点 / character offset of the heading in the report text';
COMMENT ON COLUMN sections."end" IS '终点 / character offset where the next section at the same or a higher level starts';
COMMENT ON COLUMN sections.path IS '章节路径 / headings from the top down, for display';

-- sentences
COMMENT ON TABLE sentences IS '句子 / the sentences of each report';
COMMENT ON COLUMN sentences.doc_id IS '报告编号 / the report (documents.doc_id)';
COMMENT ON COLUMN sentences.sentence_id IS '句子编号 / in document order, from 0';
COMMENT ON COLUMN sentences.section_id IS '所在章节 / the innermost section holding the sentence';
COMMENT ON COLUMN sentences."start" IS '起点 / character offset in the report text';
COMMENT ON COLUMN sentences."end" IS '终点 / character offset just after the sentence';
COMMENT ON COLUMN sentences.text IS '句子文字 / the sentence as it stands in the report';

-- mentions
COMMENT ON TABLE mentions IS '数字 / every number found in the reports, fact or not';
COMMENT ON COLUMN mentions.doc_id IS '报告编号 / the report (documents.doc_id)';
COMMENT ON COLUMN mentions.mention_id IS '数字编号 / in document order, from 0';
COMMENT ON COLUMN mentions.sentence_id IS '所在句子 / the sentence holding the number';
COMMENT ON COLUMN mentions."start" IS '起点 / character offset of the number with its unit and bound words';
COMMENT ON COLUMN mentions."end" IS '终点 / character offset just after the number with its unit';
COMMENT ON COLUMN mentions.text IS '原文 / the number as written, with unit and bound words';
COMMENT ON COLUMN mentions.value IS '数值 / the number in its canonical unit (yuan, percent, count); NULL when masked';
COMMENT ON COLUMN mentions.value_max IS '上限 / upper end of a range (8-10), else NULL';
COMMENT ON COLUMN mentions.unit IS '标准单位 / CNY, percent, pp, count, rank, multiple, person_times, m2 ... or none';
COMMENT ON COLUMN mentions.raw_unit IS '原文单位 / the unit as written: 亿元, 家, %, 个百分点 ...';
COMMENT ON COLUMN mentions.category IS '数字类别 / quantity, percent, pp, rank, multiple, fraction, year, duration (连续三年), date, doc_number, phone, ordinal or code';
COMMENT ON COLUMN mentions.bound IS '限定 / exact, at_least, about, range or at_most';
COMMENT ON COLUMN mentions.masked IS '是否打码 / true when the number is hidden (xx家)';
COMMENT ON COLUMN mentions.rank_scope IS '排名范围 / 全省, 全国, 苏北 ... for a rank';

-- facts
COMMENT ON TABLE facts IS '事实 / one row per figure a report states about an indicator (the facts contract)';
COMMENT ON COLUMN facts.doc_id IS '报告编号 / the report (documents.doc_id)';
COMMENT ON COLUMN facts.source_file IS '来源文件 / the file name as it lies in the raw folder';
COMMENT ON COLUMN facts.region IS '地区 / the region the figure is about; NULL when the text does not say (anonymised)';
COMMENT ON COLUMN facts.indicator IS '指标代码 / indicator code, e.g. rd_expenditure, tech_contract_absorbed';
COMMENT ON COLUMN facts.measure IS '度量 / level, growth_pct, change_pp, rank or share_pct';
COMMENT ON COLUMN facts.value IS '数值 / the figure in its canonical unit (yuan, percent, count); NULL when masked';
COMMENT ON COLUMN facts.unit IS '单位 / CNY, percent, pp, count, rank or another unit code';
COMMENT ON COLUMN facts.year IS '所属年份 / the year the figure is about; NULL when unknowable';
COMMENT ON COLUMN facts.year_source IS '年份来源 / explicit, relative, report or statistical_lag';
COMMENT ON COLUMN facts.period IS '时段 / FY whole year, H1 first half, M1-5 January to May ...';
COMMENT ON COLUMN facts.kind IS '类型 / actual (achieved), target (a goal) or forecast (预计)';
COMMENT ON COLUMN facts.bound IS '限定 / exact, at_least, about, range or at_most';
COMMENT ON COLUMN facts.span_start IS '起点 / character offset of the figure in documents.text';
COMMENT ON COLUMN facts.span_end IS '终点 / character offset just after the figure in documents.text';
COMMENT ON COLUMN facts.evidence IS '原句 / the sentence the figure was read from';
COMMENT ON COLUMN facts.fact_id IS '事实编号 / doc_id:mention index:indicator:measure, stable across builds';
COMMENT ON COLUMN facts.mention_id IS '数字编号 / the number this fact was read from (mentions.mention_id)';
COMMENT ON COLUMN facts.sentence_id IS '所在句子 / the sentence holding the figure (sentences.sentence_id)';
COMMENT ON COLUMN facts.section_id IS '所在章节 / the section holding the figure (sections.section_id)';
COMMENT ON COLUMN facts.part IS '文件内序号 / position of the report inside its file';
COMMENT ON COLUMN facts.value_max IS '上限 / upper end of a range, else NULL';
COMMENT ON COLUMN facts.indicator_phrase IS '指标原文 / the words that named the indicator';
COMMENT ON COLUMN facts.kind_source IS '类型来源 / the rule that gave kind: cue (力争/预计 ...), plan_section, recalled_year (a plan recalling a past year), table_column (a table''s target column) or default';
COMMENT ON COLUMN facts.region_source IS '地区来源 / where region was read: document (the report''s own region)';
COMMENT ON COLUMN facts.construction IS '句式 / the construction that read the figure: phrase_before, aligned_list, previous_fact ..., or table (a table cell; docs/rules.md)';

-- regions
COMMENT ON TABLE regions IS '行政区划 / the administrative divisions the region finder knows';
COMMENT ON COLUMN regions.name IS '全称 / full name, e.g. 芜湖市';
COMMENT ON COLUMN regions.short_name IS '简称 / short name, e.g. 芜湖';
COMMENT ON COLUMN regions.level IS '级别 / province, city or county';
COMMENT ON COLUMN regions.province IS '所属省份 / the province';
COMMENT ON COLUMN regions.city IS '所属地级市 / the prefecture-level city (itself for a city)';
COMMENT ON COLUMN regions.adcode IS '行政区划代码 / the six-digit administrative code';

-- reference_gdp
COMMENT ON TABLE reference_gdp IS '参考GDP / GDP figures of the user''s file (--gdp), for GDP ratios and the R&D year check; empty when the build was given none';
COMMENT ON COLUMN reference_gdp.region IS '地区 / full region name, as in facts.region';
COMMENT ON COLUMN reference_gdp.year IS '年份 / the year the GDP is about';
COMMENT ON COLUMN reference_gdp.gdp_100m_cny IS '地区生产总值(亿元) / GDP in 100 million yuan, as in the source';
COMMENT ON COLUMN reference_gdp.gdp_cny IS '地区生产总值(元) / GDP in yuan';
COMMENT ON COLUMN reference_gdp.source_kind IS '来源类型 / official, mirror, news, secondary (or example for made-up figures)';
COMMENT ON COLUMN reference_gdp.source_url IS '来源网址 / where the figure was read';

-- facts_resolved
COMMENT ON TABLE facts_resolved IS '核定事实 / one row per figure however often it was stated: per region, indicator, measure, year, period and kind for an aggregate code, and per distinct value of that key for a broad code (sub-counts); facts with no value, region or year are left out';
COMMENT ON COLUMN facts_resolved.resolved_id IS '核定编号 / region|indicator|measure|year|period|kind, then |value for a broad code';
COMMENT ON COLUMN facts_resolved.region IS '地区 / full region name';
COMMENT ON COLUMN facts_resolved.indicator IS '指标代码 / indicator code';
COMMENT ON COLUMN facts_resolved.measure IS '度量 / level, growth_pct, change_pp, rank or share_pct';
COMMENT ON COLUMN facts_resolved.year IS '所属年份 / the year the figure is about';
COMMENT ON COLUMN facts_resolved.period IS '时段 / FY, H1, M1-5 ...';
COMMENT ON COLUMN facts_resolved.kind IS '类型 / actual, target or forecast';
COMMENT ON COLUMN facts_resolved.value IS '核定数值 / the value of the winning statement: exact bound first, then the later document, then the later place in it';
COMMENT ON COLUMN facts_resolved.value_max IS '上限 / upper end of a range in the winning statement';
COMMENT ON COLUMN facts_resolved.unit IS '单位 / CNY, percent, pp, count, rank ...';
COMMENT ON COLUMN facts_resolved.bound IS '限定 / bound of the winning statement';
COMMENT ON COLUMN facts_resolved.conflict IS '是否冲突 / true when statements of an aggregate code give different values (see the conflicts view); never for a broad code';
COMMENT ON COLUMN facts_resolved.n_sources IS '陈述次数 / how many facts state this figure';
COMMENT ON COLUMN facts_resolved.distinct_values IS '不同数值 / the different values stated, winner first';
COMMENT ON COLUMN facts_resolved.chosen_fact_id IS '采用的事实 / fact_id of the winning statement';
COMMENT ON COLUMN facts_resolved.chosen_doc_id IS '采用的报告 / doc_id of the winning statement';
COMMENT ON COLUMN facts_resolved.fact_ids IS '全部事实 / fact_id of every statement, winner first';
COMMENT ON COLUMN facts_resolved.doc_ids IS '全部报告 / doc_id of every report stating it';
COMMENT ON COLUMN facts_resolved.aggregate IS '是否总量指标 / the code''s aggregate flag in rules/facts_codes.csv: true when a region has one value per year and period, false for a broad code reported as several sub-counts';
COMMENT ON COLUMN facts_resolved.unambiguous IS '是否唯一 / true for an aggregate code, or a broad code whose key holds no other value; derived metrics and indicator_panel use only these rows';

-- fact_sources
COMMENT ON TABLE fact_sources IS '核定事实的来源 / one row per resolved figure and each fact stating it';
COMMENT ON COLUMN fact_sources.resolved_id IS '核定编号 / facts_resolved.resolved_id';
COMMENT ON COLUMN fact_sources.fact_id IS '事实编号 / facts.fact_id';
COMMENT ON COLUMN fact_sources.doc_id IS '报告编号 / the report of the fact';
COMMENT ON COLUMN fact_sources.source_rank IS '优先次序 / 1 for the winning statement, then in order of preference';
COMMENT ON COLUMN fact_sources.is_chosen IS '是否采用 / true for the statement whose value was kept';
COMMENT ON COLUMN fact_sources.agrees_with_resolved IS '是否一致 / true when this statement gives the resolved value';
COMMENT ON COLUMN fact_sources.value IS '陈述数值 / the value this statement gives';
COMMENT ON COLUMN fact_sources.bound IS '限定 / the bound this statement gives';

-- derived_metrics
COMMENT ON TABLE derived_metrics IS '衍生指标 / figures computed from resolved facts (shares, ratios, growth, implied levels, target attainment, the R&D year check), each naming its sources';
COMMENT ON COLUMN derived_metrics.metric IS '衍生指标名 / e.g. tech_contract_enterprise_share, yoy_growth_pct, target_attainment_pct';
COMMENT ON COLUMN derived_metrics.region IS '地区 / full region name';
COMMENT ON COLUMN derived_metrics.year IS '所属年份 / the year the value is about (year - 1 for an implied prior level)';
COMMENT ON COLUMN derived_metrics.period IS '时段 / FY, H1, M1-5 ...';
COMMENT ON COLUMN derived_metrics.kind IS '类型 / kind of the facts used (actual)';
COMMENT ON COLUMN derived_metrics.indicator IS '相关指标 / the indicator the metric is about (gdp for implied_gdp)';
COMMENT ON COLUMN derived_metrics.measure IS '对应度量 / the facts measure the value can be compared with (share_pct, growth_pct, level), else NULL';
COMMENT ON COLUMN derived_metrics.value IS '数值 / the computed value';
COMMENT ON COLUMN derived_metrics.bound IS '限定 / exact when every input is exact; at_least or at_most when an input known from one side only (首破千亿) bounds it from that side; unbounded when inputs bound it from opposite sides; about when an input is about or a range';
COMMENT ON COLUMN derived_metrics.unit IS '单位 / percent, ratio, CNY, count ...';
COMMENT ON COLUMN derived_metrics.formula IS '计算公式 / how the value was computed';
COMMENT ON COLUMN derived_metrics.note IS '说明 / where outside figures came from (reference GDP source)';
COMMENT ON COLUMN derived_metrics.target_met IS '是否达标 / for target attainment: the target reached, honouring its bound';
COMMENT ON COLUMN derived_metrics.fit_year IS '吻合年份 / for rd_gdp_year_fit: the year whose reference GDP the implied GDP matches within 0.5 percent';
COMMENT ON COLUMN derived_metrics.gap_same_year_pct IS '同年差距 / implied GDP vs reference GDP of the same year, percent';
COMMENT ON COLUMN derived_metrics.gap_prior_year_pct IS '上年差距 / implied GDP vs reference GDP of the year before, percent';
COMMENT ON COLUMN derived_metrics.doc_ids IS '来源报告 / doc_id of every report behind the value';
COMMENT ON COLUMN derived_metrics.fact_ids IS '来源事实 / fact_id of every fact behind the value';
COMMENT ON COLUMN derived_metrics.resolved_ids IS '来源核定事实 / resolved_id of every resolved figure used';

-- check_results
COMMENT ON TABLE check_results IS '数据质量检查 / the result of each consistency check of the build (pipelines.quality.run_checks)';
COMMENT ON COLUMN check_results.name IS '检查名 / the check, e.g. stated_shares_match_recomputed';
COMMENT ON COLUMN check_results.passed IS '是否通过 / true when no row failed';
COMMENT ON COLUMN check_results.severity IS '严重程度 / error or warn';
COMMENT ON COLUMN check_results.description IS '检查内容 / what the check asserts';
COMMENT ON COLUMN check_results.failing_rows IS '不合格行数 / how many rows failed';
COMMENT ON COLUMN check_results.sample IS '示例 / up to 5 failing rows as JSON text (a list of objects)';

-- source_texts
COMMENT ON TABLE source_texts IS '原文与修复后文本 / every distinct text that repair changed (line ends, pinyin glosses, full-width forms, traditional characters, page numbers and running headers, hard wraps, layout spaces, split units), as decoded and as repaired, with the map between them; a file missing here was left alone, so its documents hold its own characters';
COMMENT ON COLUMN source_texts.text_sha256 IS '规范化文本哈希 / SHA-256 of the normalised text; joins raw_files.text_sha256';
COMMENT ON COLUMN source_texts.source_file IS '文件路径 / the first file (by name) holding this text';
COMMENT ON COLUMN source_texts.encoding IS '编码 / the encoding the bytes were decoded with: utf-8, utf-8-sig, gb18030, utf-16, big5 ...';
COMMENT ON COLUMN source_texts.media_type IS '文件类型 / text/plain, or text/html (then the texts are the visible text of the page)';
COMMENT ON COLUMN source_texts.original_text IS '原文 / the text as decoded (for a PDF, DOCX or XLSX: as its reader gave it), before repair';
COMMENT ON COLUMN source_texts.text IS '修复后文本 / the repaired text: ASCII digits and punctuation, simplified characters, page furniture removed, wrapped lines joined, numbers joined to their units; documents.text is a slice of it (file_start, file_end)';
COMMENT ON COLUMN source_texts.text_starts IS '保留段起点 / where each run of characters repair kept starts in text; with original_starts it maps text offsets to original_text (pipelines.repair.to_original)';
COMMENT ON COLUMN source_texts.original_starts IS '原文段起点 / where the same run starts in original_text: text offset p in the run starting at text_starts[i] is original offset original_starts[i] + p - text_starts[i]';

-- build_info
COMMENT ON TABLE build_info IS '构建信息 / how and when this warehouse was built';
COMMENT ON COLUMN build_info.key IS '项目 / what the row records, e.g. extractor_version, raw_dir';
COMMENT ON COLUMN build_info.value IS '值 / the recorded value';

-- views
COMMENT ON VIEW indicator_panel IS '指标面板 / region × year × period, one column per core indicator holding its unambiguous resolved actual level';
COMMENT ON COLUMN indicator_panel.region IS '地区 / full region name';
COMMENT ON COLUMN indicator_panel.year IS '年份 / the year';
COMMENT ON COLUMN indicator_panel.period IS '时段 / FY, H1, M1-5 ...';

COMMENT ON VIEW targets_vs_actuals IS '目标与实绩 / every resolved target beside the actual figure and attainment, where there is one';
COMMENT ON COLUMN targets_vs_actuals.region IS '地区 / full region name';
COMMENT ON COLUMN targets_vs_actuals.indicator IS '指标代码 / indicator code';
COMMENT ON COLUMN targets_vs_actuals.measure IS '度量 / level, growth_pct ...';
COMMENT ON COLUMN targets_vs_actuals.year IS '目标年份 / the year the target is for';
COMMENT ON COLUMN targets_vs_actuals.target_period IS '目标时段 / period of the target (FY for a whole-year goal)';
COMMENT ON COLUMN targets_vs_actuals.target_value IS '目标值 / the target, canonical unit';
COMMENT ON COLUMN targets_vs_actuals.target_value_max IS '目标上限 / upper end of a range target';
COMMENT ON COLUMN targets_vs_actuals.target_bound IS '目标限定 / exact, at_least, about, range or at_most';
COMMENT ON COLUMN targets_vs_actuals.unit IS '单位 / unit of target and actual';
COMMENT ON COLUMN targets_vs_actuals.actual_period IS '实绩时段 / period of the actual compared (the same as the target or part of the year)';
COMMENT ON COLUMN targets_vs_actuals.actual_value IS '实绩值 / the actual figure; NULL when none was found';
COMMENT ON COLUMN targets_vs_actuals.actual_value_max IS '实绩上限 / upper end of a range actual';
COMMENT ON COLUMN targets_vs_actuals.actual_bound IS '实绩限定 / how well the actual is known: exact, at_least (首破千亿), at_most, about or range';
COMMENT ON COLUMN targets_vs_actuals.attainment_pct IS '完成率 / actual / target × 100';
COMMENT ON COLUMN targets_vs_actuals.attainment_bound IS '完成率限定 / the actual''s bound: an actual of at least 1000 gives an attainment of at least its value';
COMMENT ON COLUMN targets_vs_actuals.target_met IS '是否达标 / target reached, honouring its bound; NULL when an actual known from one side only could fall on either side of it';
COMMENT ON COLUMN targets_vs_actuals.target_resolved_id IS '目标核定编号 / facts_resolved.resolved_id of the target';
COMMENT ON COLUMN targets_vs_actuals.actual_resolved_id IS '实绩核定编号 / facts_resolved.resolved_id of the actual';
COMMENT ON COLUMN targets_vs_actuals.doc_ids IS '来源报告 / doc_id of the reports stating target and actual';

COMMENT ON VIEW conflicts IS '冲突数值 / figures of an aggregate code stated with different values, each statement beside the resolved value';
COMMENT ON COLUMN conflicts.resolved_id IS '核定编号 / facts_resolved.resolved_id';
COMMENT ON COLUMN conflicts.region IS '地区 / full region name';
COMMENT ON COLUMN conflicts.indicator IS '指标代码 / indicator code';
COMMENT ON COLUMN conflicts.measure IS '度量 / level, growth_pct ...';
COMMENT ON COLUMN conflicts.year IS '所属年份 / the year';
COMMENT ON COLUMN conflicts.period IS '时段 / FY, H1 ...';
COMMENT ON COLUMN conflicts.kind IS '类型 / actual, target or forecast';
COMMENT ON COLUMN conflicts.resolved_value IS '核定数值 / the value kept';
COMMENT ON COLUMN conflicts.distinct_values IS '不同数值 / all values stated, winner first';
COMMENT ON COLUMN conflicts.source_rank IS '优先次序 / 1 for the statement kept';
COMMENT ON COLUMN conflicts.is_chosen IS '是否采用 / true for the statement kept';
COMMENT ON COLUMN conflicts.stated_value IS '陈述数值 / the value this statement gives';
COMMENT ON COLUMN conflicts.stated_bound IS '陈述限定 / the bound this statement gives';
COMMENT ON COLUMN conflicts.unit IS '单位 / unit of the value';
COMMENT ON COLUMN conflicts.doc_id IS '报告编号 / the report of the statement';
COMMENT ON COLUMN conflicts.source_file IS '来源文件 / the file of the statement';
COMMENT ON COLUMN conflicts.published_date IS '发布日期 / publication date of the report';
COMMENT ON COLUMN conflicts.report_year IS '报告年份 / the year the report is about';
COMMENT ON COLUMN conflicts.span_start IS '起点 / character offset of the figure in documents.text';
COMMENT ON COLUMN conflicts.evidence IS '原句 / the sentence of the statement';
COMMENT ON COLUMN conflicts.fact_id IS '事实编号 / facts.fact_id';


COMMENT ON TABLE indicators IS '指标 / every indicator code the extractor emits, from pipelines/rules/facts_codes.csv (names, unit, flags) and pipelines/rules/indicators.csv (the phrases naming it)';
COMMENT ON COLUMN indicators.code IS '指标代码 / the code facts.indicator holds';
COMMENT ON COLUMN indicators.name_zh IS '中文名称 / Chinese name';
COMMENT ON COLUMN indicators.name_en IS '英文名称 / English name';
COMMENT ON COLUMN indicators.level_unit IS '水平单位 / canonical unit of its level: CNY, percent, count';
COMMENT ON COLUMN indicators.core IS '核心指标 / one of the core codes of the facts contract (a column of indicator_panel)';
COMMENT ON COLUMN indicators.aggregate IS '是否总量指标 / one value per region, year and period (see facts_resolved.aggregate)';
COMMENT ON COLUMN indicators.statistical_lag IS '统计滞后 / published about a year late: a summary''s actual is about the year before';
COMMENT ON COLUMN indicators.phrases IS '指标用语 / the phrases that name it in a report (rules/indicators.csv)';
COMMENT ON COLUMN indicators.raw_units IS '计量单位 / the units a count of it is written in (家, 项 ...); empty: any';
COMMENT ON COLUMN indicators.requires IS '必需词 / a figure counts only when its sentence has one of these words; empty: none needed';
COMMENT ON COLUMN indicators.vetoes IS '排除词 / a figure whose sentence has one of these words is not it';

COMMENT ON VIEW facts_readable IS '事实(易读) / every fact with the Chinese indicator name, the value in the unit the report wrote (亿元, 万元, 家, %), its bound and its sentence';
COMMENT ON COLUMN facts_readable.fact_id IS '事实编号 / facts.fact_id';
COMMENT ON COLUMN facts_readable.indicator_name IS '指标 / Chinese name of the indicator (indicators.name_zh)';
COMMENT ON COLUMN facts_readable.indicator IS '指标代码 / indicator code';
COMMENT ON COLUMN facts_readable.region IS '地区 / full region name';
COMMENT ON COLUMN facts_readable.year IS '所属年份 / the year the figure is about';
COMMENT ON COLUMN facts_readable.period IS '时段 / FY, H1, M1-5 ...';
COMMENT ON COLUMN facts_readable.kind IS '类型 / actual, target or forecast';
COMMENT ON COLUMN facts_readable.measure IS '度量 / level, growth_pct, change_pp, rank or share_pct';
COMMENT ON COLUMN facts_readable.value IS '数值 / the value in the unit column (亿元 or 万元 for money, as the report wrote it); a lower or upper bound when bound says so';
COMMENT ON COLUMN facts_readable.value_max IS '上限 / upper end of a range, in the unit column';
COMMENT ON COLUMN facts_readable.unit IS '单位 / 亿元, 万元, 元, %, 个百分点, 位, or the counting word of the report (家, 项, 件 ...)';
COMMENT ON COLUMN facts_readable.bound IS '限定 / exact, at_least (以上, 突破, 首破), at_most, about (约, 左右), range';
COMMENT ON COLUMN facts_readable.value_shown IS '显示值 / the value with its bound and unit (≥ 1000亿元, 约 50%, 8–10家)';
COMMENT ON COLUMN facts_readable.as_written IS '原文 / the characters of the figure in its report';
COMMENT ON COLUMN facts_readable.sentence IS '所在句子 / the sentence holding it';
COMMENT ON COLUMN facts_readable.source_file IS '来源文件 / file under the raw folder';
COMMENT ON COLUMN facts_readable.title IS '报告标题 / title of the report';
COMMENT ON COLUMN facts_readable.doc_id IS '报告编号 / documents.doc_id';
COMMENT ON COLUMN facts_readable.span_start IS '起点 / character offset of the figure in documents.text';
COMMENT ON COLUMN facts_readable.span_end IS '终点 / end offset (exclusive) in documents.text';
