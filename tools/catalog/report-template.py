# Writes catalog/2026/report.json (the report template) by finding each measure's indicator code in every
# form by its name, so the template names the right code per form. Run from the repository root; the
# JSON it writes is the artifact (a later edition edits or regenerates it).
import json, glob
forms = {}
for f in sorted(glob.glob('catalog/2026/forms/*.json')):
    d = json.load(open(f))
    if d['kind'] == 'basicInfo' or 'indicators' not in d: continue
    forms[d['id']] = d
order = ['P2','P3','P4','E2','E3','E4','E5','E6','E7','I1']
def code(form, name):
    for i in forms[form]['indicators']:
        if i['name'] == name and i['aggregation']['method'] != 'none': return i['code']
    return None
def sources(name, only=None, require=None):
    out = []
    for f in order:
        if f not in forms or (only and f not in only): continue
        c = code(f, name)
        if c and (not require or all(code(f, r) for r in require)): out.append({'form': f, 'indicator': c})
    return out
def unit(name):
    for f in order:
        for i in forms.get(f, {}).get('indicators', []):
            if i['name'] == name: return i['unit']
STOCKS = {'数据存储总量', '数据存储总空间', '原始数据存储总量', '衍生数据存储总量', '标注数据存储总量', '算力规模', '智能算力规模',
          '公共数据开放总量', '公共数据开放数据集总数', '高质量数据集数量', '可信数据空间数量', '隐私保护计算中心数量', '数场数量', '数联网数量'}
def m(id, name, label=None, only=None, require=None, needs=None):
    s = sources(name, only, require); assert s, name
    if needs:
        for src in s: src['requires'] = [code(src['form'], n) for n in needs]
    d = {'id': id, 'name': label or name, 'unit': unit(name), 'sources': s}
    if name in STOCKS: d['column'] = 'cum'
    return d
measures = [
 m('production', '数据生产总量'),
 m('deviceProduction', '设备设施采集数据总量'),
 m('systemProduction', '系统/软件生成数据总量'),
 m('storage', '数据存储总量'),
 m('storageSpace', '数据存储总空间'),
 m('storageWithSpace', '数据存储总量', '数据存储总量（填报存储空间的单位）', require=['数据存储总空间'], needs=['数据存储总空间']),
 m('spaceWithStorage', '数据存储总空间', '数据存储总空间（填报存储量的单位）', require=['数据存储总量'], needs=['数据存储总量']),
 {'id': 'utilisation', 'name': '存储空间利用率', 'unit': '%', 'kind': 'ratio', 'numerator': 'storageWithSpace', 'denominator': 'spaceWithStorage', 'percent': True, 'column': 'cum'},
 m('storageCold', '数据存储总量', '数据存储总量（填报冷数据占比的单位）', require=['冷数据占比'], needs=['冷数据占比']),
 m('rawStorage', '原始数据存储总量'),
 m('derivedStorage', '衍生数据存储总量'),
 m('labelledStorage', '标注数据存储总量'),
 m('computing', '算力规模'),
 m('intelligentComputing', '智能算力规模'),
 m('publicOpen', '公共数据开放总量'),
 m('publicOpenSets', '公共数据开放数据集总数'),
 m('publicShared', '申请共享的数据集数量'),
 m('authorisedOperation', '公共数据授权运营数据总量'),
 m('authorisedRevenue', '公共数据授权运营收入'),
 m('dataProductRevenue', '数据产品/服务收入'),
 m('dataAssets', '数据资产入表金额'),
 {'id': 'exchangeTrade', 'name': '数据交易机构交易总额', 'unit': '万元', 'sources': [{'form': 'E4', 'indicator': '01'}]},
 {'id': 'exchangeTradeCount', 'name': '数据交易机构交易次数', 'unit': '次', 'sources': [{'form': 'E4', 'indicator': '02'}]},
 m('spaceTrade', '数据交易总额', '可信数据空间数据交易总额', only=['E7']),
 m('aiData', '用于AI的数据总量'),
 m('aiTraining', '用于AI训练的数据总量'),
 m('highQualitySets', '高质量数据集数量'),
 m('trustedSpaces', '可信数据空间数量'),
 m('privacyCentres', '隐私保护计算中心数量'),
 m('dataFields', '数场数量'),
 m('dataNets', '数联网数量'),
 m('spaceCirculation', '数据流通总量', '可信数据空间数据流通总量', only=['E7']),
]
# Cold-data share: weighted by the storage of the same form.
cold = []
for f in order:
    if f in forms and code(f, '冷数据占比') and code(f, '数据存储总量'):
        cold.append({'form': f, 'indicator': code(f, '冷数据占比'), 'weight': code(f, '数据存储总量')})
measures.insert(9, {'id': 'coldShare', 'name': '冷数据占比（按存储量加权）', 'unit': '%', 'kind': 'weightedMean', 'denominator': 'storageCold', 'column': 'cum', 'sources': cold})
def t(id, title, breakdown, ms, share=None, rank=None, chart=None, measure=None):
    d = {'id': id, 'title': title, 'breakdown': breakdown, 'measures': ms}
    if share: d['share'] = True
    if rank: d['rank'] = True
    if chart: d['chart'] = {'kind': chart, **({'measure': measure} if measure else {})}
    return d
chapters = [
 {'id': 'production', 'title': '数据生产', 'paragraphs': [
   '{year}年，全国数据生产总量{production}，比上年增长{production.growth}；两年均报送并经核定的单位同口径增长{production.growthMatched}。其中，设备设施采集数据{deviceProduction}，系统/软件生成数据{systemProduction}。',
   '数据生产的地区集中度较高：{production.topNames:6}等6个省份合计占全国的{production.topShare:6}。分调查对象类型看，{production.topType}数据生产规模最大。'],
  'tables': [t('1-1', '全国数据生产总量', 'national', ['production', 'deviceProduction', 'systemProduction'], chart='line'),
             t('1-2', '分省份数据生产总量', 'province', ['production'], share=True, rank=True, chart='tileMap'),
             t('1-3', '分调查对象类型数据生产总量', 'type', ['production'], share=True, chart='bar'),
             t('1-4', '分行业数据生产总量', 'industry', ['production'], share=True, rank=True, chart='bar')]},
 {'id': 'storage', 'title': '数据存储', 'paragraphs': [
   '{year}年，全国数据存储总量{storage}，比上年增长{storage.growth}；数据存储总空间{storageSpace}，存储空间利用率{utilisation}。',
   '按存储量加权，冷数据（一年以上未被使用的数据）占存储数据的{coldShare}。{storage.topNames:6}等6个省份的数据存储量合计占全国的{storage.topShare:6}。'],
  'tables': [t('2-1', '全国数据存储情况', 'national', ['storage', 'storageSpace', 'utilisation', 'coldShare'], chart='bar', measure='storage'),
             t('2-2', '分省份数据存储情况', 'province', ['storage', 'utilisation', 'coldShare'], share=True, rank=True, chart='tileMap', measure='storage'),
             t('2-3', '分调查对象类型数据存储结构', 'type', ['rawStorage', 'derivedStorage', 'labelledStorage'], chart='stackedShare')]},
 {'id': 'computing', 'title': '算力', 'paragraphs': [
   '{year}年，调查单位算力规模合计{computing}，比上年增长{computing.growth}；其中智能算力{intelligentComputing}，比上年增长{intelligentComputing.growth}。',
   '分调查对象类型看，{computing.topType}算力规模最大；{computing.topNames:6}等6个省份合计占全国的{computing.topShare:6}。'],
  'tables': [t('3-1', '全国算力规模', 'national', ['computing', 'intelligentComputing'], chart='bar'),
             t('3-2', '分调查对象类型算力规模', 'type', ['computing', 'intelligentComputing'], share=True, chart='bar', measure='computing'),
             t('3-3', '分省份算力规模', 'province', ['computing'], share=True, rank=True, chart='tileMap')]},
 {'id': 'public', 'title': '公共数据', 'paragraphs': [
   '{year}年，各省级数据管理部门公共数据开放总量{publicOpen}，开放数据集{publicOpenSets}，申请共享的数据集{publicShared}。',
   '公共数据授权运营数据总量{authorisedOperation}，授权运营收入{authorisedRevenue}，比上年增长{authorisedRevenue.growth}。'],
  'tables': [t('4-1', '全国公共数据开放、共享和授权运营情况', 'national', ['publicOpen', 'publicOpenSets', 'publicShared', 'authorisedOperation', 'authorisedRevenue'])]},
 {'id': 'enterprise', 'title': '企业数据', 'paragraphs': [
   '{year}年，调查企业数据产品/服务收入{dataProductRevenue}，比上年增长{dataProductRevenue.growth}；数据资产入表金额{dataAssets}。',
   '分调查对象类型看，{dataProductRevenue.topType}数据产品/服务收入最多。'],
  'tables': [t('5-1', '全国企业数据产品和数据资产情况', 'national', ['dataProductRevenue', 'dataAssets'], chart='bar'),
             t('5-2', '分行业数据产品/服务收入', 'industry', ['dataProductRevenue'], share=True, rank=True, chart='bar'),
             t('5-3', '分调查对象类型数据产品/服务收入和数据资产入表金额', 'type', ['dataProductRevenue', 'dataAssets'], share=True, chart='bar', measure='dataProductRevenue')]},
 {'id': 'circulation', 'title': '数据流通交易', 'paragraphs': [
   '{year}年，数据交易机构交易总额{exchangeTrade}，比上年增长{exchangeTrade.growth}，交易{exchangeTradeCount}；可信数据空间数据交易总额{spaceTrade}。',
   '{exchangeTrade.topNames:6}等6个省份的数据交易机构交易额合计占全国的{exchangeTrade.topShare:6}。'],
  'tables': [t('6-1', '全国数据流通交易情况', 'national', ['exchangeTrade', 'exchangeTradeCount', 'spaceTrade'], chart='bar', measure='exchangeTrade'),
             t('6-2', '分省份数据交易机构交易总额', 'province', ['exchangeTrade'], share=True, rank=True, chart='tileMap')]},
 {'id': 'ai', 'title': '数据用于人工智能', 'paragraphs': [
   '{year}年，调查单位用于开发、训练和运行人工智能的数据{aiData}，比上年增长{aiData.growth}；其中用于AI训练的数据{aiTraining}。高质量数据集{highQualitySets}。',
   '分调查对象类型看，{aiData.topType}用于AI的数据最多。'],
  'tables': [t('7-1', '全国数据用于人工智能情况', 'national', ['aiData', 'aiTraining', 'highQualitySets'], chart='bar', measure='aiData'),
             t('7-2', '分调查对象类型用于AI的数据总量', 'type', ['aiData'], share=True, chart='bar'),
             t('7-3', '分行业用于AI的数据总量', 'industry', ['aiData'], share=True, rank=True, chart='bar')]},
 {'id': 'infrastructure', 'title': '数据基础设施', 'paragraphs': [
   '{year}年末，各省级数据管理部门报告可信数据空间{trustedSpaces}、隐私保护计算中心{privacyCentres}、数场{dataFields}、数联网{dataNets}。可信数据空间运营机构数据流通总量{spaceCirculation}，比上年增长{spaceCirculation.growth}。'],
  'tables': [t('8-1', '全国数据基础设施情况', 'national', ['trustedSpaces', 'privacyCentres', 'dataFields', 'dataNets', 'spaceCirculation'])]},
]
tpl = {
 'schemaVersion': 1,
 'title': '全国数据资源调查报告',
 'subtitle': '（{year}年）',
 'issuer': '全国数据资源调查工作组',
 'measures': measures,
 'chapters': chapters,
 'methodology': {'title': '调查方法说明', 'paragraphs': [
   '调查范围与对象：省级数据管理部门、科研机构、国家科学数据中心、中央企业、数据集团、数据交易机构、数据技术企业、数据应用企业、可信数据空间运营机构和重点行业协会商会，按《全国数据资源统计调查制度》填报。中央企业由总部汇总所属企业后报送，所属企业不重复计入。',
   '汇总方法：合计类指标为经核定单位的数值直接相加；占比类指标按其权数加权平均（如冷数据占比按数据存储总量加权），比率由公布的分子、分母计算，不以比率相加；占全国比重与增长率均由公布的数值计算。同口径增长仅含{prevYear}年和{year}年均报送并经核定的单位。',
   '未核定单位的处理：本报告只使用经核定的数据，对未报送或未核定的单位不作插补；各项数值反映调查单位的情况，不是对全国总体的推算。',
   '保密处理：依《中华人民共和国统计法》第二十八条，能够识别或者推断单个调查对象的数据不予公布。对每一公布单元格按最少单位数（同一集团所属单位计为一个）和优势规则判断，不安全的单元格及可据以推算的相关单元格以“x”表示；公布前以攻击者线性规划逐格验证。',
   '修订：报告一经公布不作改动；如需修订，另行发布修订版并说明修订内容和原因，原版本继续提供。',
   '单位：数据量以TB为基础，1 PB = 1,000 TB，1 EB = 1,000 PB，1 ZB = 1,000 EB；金额1亿元 = 10,000万元；算力1 EFLOPS = 1,000 PFLOPS = 1,000,000 TFLOPS。']},
}
json.dump(tpl, open('catalog/2026/report.json', 'w'), ensure_ascii=False, indent=1)
print(len(measures), 'measures')
