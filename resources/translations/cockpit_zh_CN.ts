<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivePermitsView</name>
    <message>
        <location filename="../../views/active_permits_view.py" line="140"/>
        <source>Active permits</source>
        <translation>进行中的作业票</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="123"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="124"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="125"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="126"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="127"/>
        <source>Valid for</source>
        <translation>剩余有效期</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="128"/>
        <source>Gas test due</source>
        <translation>气体复测到期</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="129"/>
        <source>Check-in due</source>
        <translation>监护签到到期</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="130"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="133"/>
        <source>Reason (required to suspend)</source>
        <translation>理由（暂停必填）</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="134"/>
        <source>Suspend work</source>
        <translation>暂停作业</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="135"/>
        <source>Close permit</source>
        <translation>关闭作业票</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="136"/>
        <source>Print permit (PDF)…</source>
        <translation>打印作业票（PDF）…</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="175"/>
        <source>Active permits ({n}), approved and not yet started ({m})</source>
        <translation>进行中的作业票（{n}），已批准未开始（{m}）</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="206"/>
        <source>EXPIRED {t} ago</source>
        <translation>已过期 {t}</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="210"/>
        <location filename="../../views/active_permits_view.py" line="214"/>
        <source>OVERDUE</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="217"/>
        <source>EXPIRED</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="219"/>
        <source>SIGNATURE INVALID</source>
        <translation>签名失效</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="221"/>
        <source>green channel: review</source>
        <translation>绿色通道：待复核</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="240"/>
        <location filename="../../views/active_permits_view.py" line="252"/>
        <source>select a permit</source>
        <translation>请选择作业票</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="242"/>
        <source>your role may not suspend permits</source>
        <translation>您的角色无权暂停作业票</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="244"/>
        <source>only active work can be suspended</source>
        <translation>只能暂停进行中的作业</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="246"/>
        <source>type the reason first</source>
        <translation>请先填写理由</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="254"/>
        <source>your role may not close permits</source>
        <translation>您的角色无权关闭作业票</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="256"/>
        <source>only active or suspended work can be closed</source>
        <translation>只能关闭进行中或已暂停的作业</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="273"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <location filename="../../views/active_permits_view.py" line="306"/>
        <source>{p}: {s}</source>
        <translation>{p}：{s}</translation>
    </message>
</context>
<context>
    <name>AlarmKpiView</name>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="53"/>
        <source>This shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="54"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="55"/>
        <source>Last 7 days</source>
        <translation>最近7天</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="56"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="59"/>
        <source>acceptable (EEMUA 191: 1 or fewer)</source>
        <translation>可接受（EEMUA 191：不超过1）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="60"/>
        <source>manageable (EEMUA 191: up to 2)</source>
        <translation>可应付（EEMUA 191：不超过2）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="61"/>
        <source>over-demanding (EEMUA 191: more than 2)</source>
        <translation>负荷过重（EEMUA 191：超过2）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="171"/>
        <source>From %1 to %2 (%3); read from the alarm journal.</source>
        <translation>自 %1 至 %2（%3）；数据取自报警日志。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="179"/>
        <source>The alarm journal could not be read: %1</source>
        <translation>无法读取报警日志：%1</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="203"/>
        <source>%1 h %2 min</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="231"/>
        <source>Alarms per 10 min</source>
        <translation>每10分钟报警数</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="237"/>
        <source>Alarm system performance</source>
        <translation>报警系统绩效</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="238"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="240"/>
        <location filename="../../views/alarm_kpi_view.py" line="253"/>
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="241"/>
        <source>Average per 10 min</source>
        <translation>每10分钟平均</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="242"/>
        <source>Peak in 10 min</source>
        <translation>10分钟峰值</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="243"/>
        <source>Time in flood</source>
        <translation>报警泛滥时间占比</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="244"/>
        <source>Standing &gt; 24 h</source>
        <translation>持续超过24小时</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="245"/>
        <source>Shelved (longest)</source>
        <translation>已搁置（最长）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="246"/>
        <source>Chattering</source>
        <translation>振荡报警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="247"/>
        <source>Top 10 share</source>
        <translation>前10项占比</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="251"/>
        <source>The ten most frequent alarms</source>
        <translation>最频繁的10项报警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="252"/>
        <source>Chattering alarms (3 or more within a minute)</source>
        <translation>振荡报警（1分钟内3次及以上）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="253"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="253"/>
        <source>Detector</source>
        <translation>探测器</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="253"/>
        <source>Condition</source>
        <translation>报警类型</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="263"/>
        <source>All sites</source>
        <translation>全部厂区</translation>
    </message>
</context>
<context>
    <name>AlarmPopup</name>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="100"/>
        <source>Stop-work command: sending…</source>
        <translation>停工指令：发送中…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="101"/>
        <source>Sent ✓  →  received …  →  executed …</source>
        <translation>已发送 ✓  →  已接收 …  →  已执行 …</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="102"/>
        <source>Sent ✓  →  received ✓  →  executed …</source>
        <translation>已发送 ✓  →  已接收 ✓  →  已执行 …</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="103"/>
        <source>Sent ✓  →  received ✓  →  executed ✓  WORK STOPPED</source>
        <translation>已发送 ✓  →  已接收 ✓  →  已执行 ✓  已停工</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="104"/>
        <source>✗ NOT EXECUTED IN TIME: call the area now</source>
        <translation>✗ 未按时执行：请立即电话联系现场</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="105"/>
        <source>✗ REJECTED by the field</source>
        <translation>✗ 现场拒绝执行</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="264"/>
        <source>What</source>
        <translation>报警内容</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="265"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="266"/>
        <source>Active permits in the area</source>
        <translation>区域内进行中的作业票</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="272"/>
        <source>Who is inside</source>
        <translation>区域内人员</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="273"/>
        <source>Next alarm  (F8)</source>
        <translation>下一条报警  (F8)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="335"/>
        <source>Event: no measured value</source>
        <translation>事件：无测量值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="358"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="449"/>
        <source>Alarm %1 of %2 waiting for acknowledgement</source>
        <translation>待确认报警 第 %1 条，共 %2 条</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="267"/>
        <source>Emergency contacts</source>
        <translation>应急联系人</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="268"/>
        <source>STOP WORK IN AREA  (F9)</source>
        <translation>区域停工  (F9)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="269"/>
        <source>Acknowledge  (F5)</source>
        <translation>确认  (F5)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="270"/>
        <source>Silence  (F6)</source>
        <translation>消音  (F6)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="271"/>
        <source>Locate  (F7)</source>
        <translation>定位  (F7)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="307"/>
        <source>ALARM P%1: %2</source>
        <translation>报警 %1 级：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="331"/>
        <source>STALE – no valid reading</source>
        <translation>数据过期 – 无有效读数</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="316"/>
        <source>limit %1</source>
        <translation>限值 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="318"/>
        <source>source %1</source>
        <translation>来源 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="324"/>
        <source>Raised %1</source>
        <translation>发生于 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="370"/>
        <source>No contacts configured for this area</source>
        <translation>该区域未配置联系人</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_popup.py" line="270"/>
        <location filename="../../widgets/alarm_popup.py" line="399"/>
        <source>Silenced  (F6)</source>
        <translation>已消音  (F6)</translation>
    </message>
</context>
<context>
    <name>AlarmTable</name>
    <message>
        <location filename="../../widgets/alarm_table.py" line="59"/>
        <source>UNACK</source>
        <extracomment>Custom data role giving a row&apos;s alarm id.</extracomment>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="60"/>
        <source>ACKED</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="61"/>
        <source>RTN UNACK</source>
        <translation>已恢复未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="62"/>
        <source>RTN</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="63"/>
        <source>SHELVED</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="64"/>
        <source>OOS</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="65"/>
        <source>NORMAL</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="83"/>
        <source>P</source>
        <translation>级</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="84"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="85"/>
        <source>Site / area</source>
        <translation>厂区 / 区域</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="86"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="87"/>
        <source>Condition</source>
        <translation>报警类型</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="88"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="89"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="90"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="91"/>
        <source>Acked by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="536"/>
        <source>Acknowledge  (Space / F5)</source>
        <translation>确认  (空格 / F5)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="538"/>
        <source>Locate  (F7)</source>
        <translation>定位  (F7)</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="541"/>
        <source>Shelve…</source>
        <translation>搁置…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table.py" line="545"/>
        <source>Record near miss…</source>
        <translation>记录未遂事件…</translation>
    </message>
</context>
<context>
    <name>AlarmText</name>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="30"/>
        <source>{ch} {value} {unit} {cond} (limit {lim} {unit}) at {source}</source>
        <translation>{source} 的 {ch} 为 {value} {unit}，{cond}（限值 {lim} {unit}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="33"/>
        <source>{ch} back to normal: {value} {unit} at {source}</source>
        <translation>{source} 的 {ch} 恢复正常：{value} {unit}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="34"/>
        <source>{ch} at {source} has no valid reading: {why}</source>
        <translation>{source} 的 {ch} 无有效读数：{why}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="35"/>
        <source>{ch} at {source} reports again</source>
        <translation>{source} 的 {ch} 恢复上报</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="36"/>
        <source>detector {device} at {site}/{area} reports a fault</source>
        <translation>{site}/{area} 的探测器 {device} 报告故障</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="37"/>
        <source>detector {device} at {site}/{area} reports a fault: {detail}</source>
        <translation>{site}/{area} 的探测器 {device} 报告故障：{detail}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="40"/>
        <source>detector {device} at {site}/{area} fault cleared</source>
        <translation>{site}/{area} 的探测器 {device} 故障已消除</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="41"/>
        <source>{event} at {source} cleared</source>
        <translation>{source} 的{event}已清除</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="42"/>
        <source>{event} at {source} cleared by {who}</source>
        <translation>{source} 的{event}已由 {who} 清除</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="44"/>
        <source>man down: worker {worker}</source>
        <translation>人员倒地：作业人员 {worker}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="45"/>
        <source>fall detected: worker {worker}</source>
        <translation>检测到跌落：作业人员 {worker}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="46"/>
        <source>SOS pressed: worker {worker}</source>
        <translation>按下一键求救：作业人员 {worker}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="47"/>
        <source>no motion: worker {worker}</source>
        <translation>长时间静止：作业人员 {worker}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="48"/>
        <source>geofence breach: worker {worker}</source>
        <translation>越出电子围栏：作业人员 {worker}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="49"/>
        <source>man down: worker {worker} (permit {permit_id})</source>
        <translation>人员倒地：作业人员 {worker}（作业票 {permit_id}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="52"/>
        <source>fall detected: worker {worker} (permit {permit_id})</source>
        <translation>检测到跌落：作业人员 {worker}（作业票 {permit_id}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="55"/>
        <source>SOS pressed: worker {worker} (permit {permit_id})</source>
        <translation>按下一键求救：作业人员 {worker}（作业票 {permit_id}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="56"/>
        <source>no motion: worker {worker} (permit {permit_id})</source>
        <translation>长时间静止：作业人员 {worker}（作业票 {permit_id}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="59"/>
        <source>geofence breach: worker {worker} (permit {permit_id})</source>
        <translation>越出电子围栏：作业人员 {worker}（作业票 {permit_id}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="63"/>
        <source>entry without an allow: worker {worker} in {site}/{area}</source>
        <translation>未经放行进入：作业人员 {worker} 进入 {site}/{area}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="66"/>
        <source>entry without an allow: worker {worker} in {site}/{area} (permit {permit_id})</source>
        <translation>未经放行进入：作业人员 {worker} 进入 {site}/{area}（作业票 {permit_id}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="69"/>
        <source>gate {gate} refused worker {worker}: {reasons}</source>
        <translation>门禁 {gate} 拒绝作业人员 {worker} 进入：{reasons}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="71"/>
        <source>stop-work not executed within {seconds} s</source>
        <translation>停工指令 {seconds} 秒内未执行</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="72"/>
        <source>resume-work not executed within {seconds} s</source>
        <translation>复工指令 {seconds} 秒内未执行</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="76"/>
        <source>supervisor {supervisor} has not checked in since the start for more than {minutes} min</source>
        <translation>监护人 {supervisor} 自作业开始已超过 {minutes} 分钟未签到</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="79"/>
        <source>supervisor {supervisor} has not checked in for more than {minutes} min</source>
        <translation>监护人 {supervisor} 已超过 {minutes} 分钟未签到</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="82"/>
        <source>supervisor {supervisor} has not checked in since the start for more than {minutes} min: stop the work of permit {permit_id}</source>
        <translation>监护人 {supervisor} 自作业开始已超过 {minutes} 分钟未签到：停止作业票 {permit_id} 的作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="87"/>
        <source>supervisor {supervisor} has not checked in for more than {minutes} min: stop the work of permit {permit_id}</source>
        <translation>监护人 {supervisor} 已超过 {minutes} 分钟未签到：停止作业票 {permit_id} 的作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="92"/>
        <source>work started without a valid permit ({permit_id}: {status})</source>
        <translation>无有效作业票即开始作业（{permit_id}：{status}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="95"/>
        <source>work resumed without a valid permit ({permit_id}: {status})</source>
        <translation>无有效作业票即恢复作业（{permit_id}：{status}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="98"/>
        <source>work on {permit_id} started without the photo of the key step: {step}</source>
        <translation>作业票 {permit_id} 开工时缺少关键步骤照片：{step}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="101"/>
        <source>work started without a valid permit ({permit_id}: unknown)</source>
        <translation>无有效作业票即开始作业（{permit_id}：不存在）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="104"/>
        <source>work resumed without a valid permit ({permit_id}: unknown)</source>
        <translation>无有效作业票即恢复作业（{permit_id}：不存在）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="107"/>
        <source>{permit_id}: wind {wind} m/s (Beaufort {force}) raises the work to {permit}, above its approval ({base}); suspend the work</source>
        <translation>{permit_id}：风速 {wind} m/s（{force} 级风）使作业升为{permit}，高于批准的{base}；暂停作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="112"/>
        <source>{permit_id}: work resumed after a failed gas test</source>
        <translation>{permit_id}：气体检测不合格后恢复了作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="115"/>
        <source>{permit_id}: work resumed after a pause of {minutes} min (more than {most} min) without a gas re-test</source>
        <translation>{permit_id}：暂停 {minutes} 分钟（超过 {most} 分钟）后未重新气体检测即恢复作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="120"/>
        <source>{permit_id}: paused for {minutes} min (more than the site&apos;s {most} min): a gas re-test is due before work resumes</source>
        <translation>{permit_id}：已暂停 {minutes} 分钟（超过本现场规定的 {most} 分钟）：复工前须重新气体检测</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="125"/>
        <source>{permit_id}: the gas re-test is overdue: {finding}</source>
        <translation>{permit_id}：气体复测已超时：{finding}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="127"/>
        <source>rose to {cond} while shelved</source>
        <translation>搁置期间升至 {cond}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="128"/>
        <source>acknowledged {old}, now {cond}</source>
        <translation>已确认 {old}，现为 {cond}</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="133"/>
        <source>the detector is offline</source>
        <translation>探测器离线</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="134"/>
        <source>the detector reports a fault</source>
        <translation>探测器报告故障</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="135"/>
        <source>the reading&apos;s quality is bad</source>
        <translation>读数质量差</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="136"/>
        <source>no usable reading yet</source>
        <translation>尚无可用读数</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="137"/>
        <source>the last reading is too old</source>
        <translation>最近读数已过期</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="138"/>
        <source>the field link is down</source>
        <translation>现场链路中断</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="144"/>
        <source>not on the register</source>
        <translation>不在人员登记表中</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="145"/>
        <source>not on an active permit here</source>
        <translation>不在本区域进行中的作业票上</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="146"/>
        <source>no certificate for the trade</source>
        <translation>无该工种的特种作业操作证</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="147"/>
        <source>certificate expired</source>
        <translation>操作证已过期</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="148"/>
        <source>certificate review overdue</source>
        <translation>操作证复审已逾期</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="149"/>
        <source>certificate not valid</source>
        <translation>操作证无效</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="150"/>
        <source>admission exam not passed</source>
        <translation>未通过入场安全考试</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="151"/>
        <source>contractor blacklisted</source>
        <translation>承包商已列入黑名单</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="152"/>
        <source>work in the area is stopped</source>
        <translation>本区域已停工</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="153"/>
        <source>the cockpit&apos;s database is unavailable</source>
        <translation>驾驶舱数据库不可用</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="154"/>
        <source>the cockpit could not check the entry</source>
        <translation>驾驶舱无法核验此次进入</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="155"/>
        <source>safety code not valid (forged?)</source>
        <translation>安全码无效（疑似伪造）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="156"/>
        <source>permit code not valid (forged?)</source>
        <translation>作业票码无效（疑似伪造）</translation>
    </message>
    <message>
        <location filename="../../models/rules/alarm_texts.py" line="157"/>
        <source>no badge key to check the code</source>
        <translation>无胸卡密钥，无法核验扫码</translation>
    </message>
</context>
<context>
    <name>AlarmView</name>
    <message>
        <location filename="../../views/alarm_view.py" line="237"/>
        <source>Only for man-down, fall, SOS, no motion</source>
        <translation>仅用于人员倒地、跌落、SOS、静止报警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="265"/>
        <source>%1 alarm(s) acknowledged.</source>
        <translation>已确认 %1 条报警。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="276"/>
        <source>Shelving needs a reason: say why this alarm may be hidden.</source>
        <translation>搁置需要理由：请说明为何可以暂时隐藏此报警。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="290"/>
        <source>%1 alarm(s) shelved for %2 min.</source>
        <translation>已搁置 %1 条报警，时长 %2 分钟。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="316"/>
        <source>Event cleared.</source>
        <translation>事件已解除。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="357"/>
        <source>All sites</source>
        <translation>全部厂区</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="367"/>
        <source>All areas</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="388"/>
        <source>The journal&apos;s end time must be after its start time.</source>
        <translation>日志的结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="430"/>
        <source> (the newest %1; narrow the filter)</source>
        <translation>（最新 %1 条，请缩小筛选范围）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="432"/>
        <source>%1 entries</source>
        <translation>%1 条记录</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="444"/>
        <source>Active alarms</source>
        <translation>当前报警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="445"/>
        <source>Journal</source>
        <translation>报警日志</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="446"/>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="447"/>
        <source>Acknowledge (Space)</source>
        <translation>确认（空格）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="448"/>
        <source>Locate (F7)</source>
        <translation>定位（F7）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="449"/>
        <source>Clear event (person checked)</source>
        <translation>解除事件（已现场核实）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="450"/>
        <source>Record near miss…</source>
        <translation>记录未遂事件…</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="451"/>
        <source>Shelve the selected alarm</source>
        <translation>搁置所选报警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="452"/>
        <source>Reason (required)</source>
        <translation>理由（必填）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="453"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="454"/>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="455"/>
        <source>Unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="456"/>
        <source>No active alarms.</source>
        <translation>当前无报警。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="459"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="459"/>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="459"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="459"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="459"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="463"/>
        <source>Text in source, condition, note or who</source>
        <translation>在来源、类型、备注或人员中搜索</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="464"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="467"/>
        <source>All priorities</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="469"/>
        <source>Priority %1</source>
        <translation>%1 级</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="473"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="474"/>
        <source>P</source>
        <translation>级</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="475"/>
        <source>Site / area</source>
        <translation>厂区 / 区域</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="476"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="477"/>
        <source>Condition</source>
        <translation>报警类型</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="478"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="479"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="480"/>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/alarm_view.py" line="481"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <location filename="../../widgets/alarm_words.py" line="15"/>
        <source>high-high</source>
        <translation>高高报警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="16"/>
        <source>high</source>
        <translation>高报警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="17"/>
        <source>low</source>
        <translation>低报警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="18"/>
        <source>low-low</source>
        <translation>低低报警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="19"/>
        <source>no valid reading</source>
        <translation>无有效读数</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="20"/>
        <source>detector fault</source>
        <translation>检测仪故障</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="21"/>
        <source>man down</source>
        <translation>人员倒地</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="22"/>
        <source>fall detected</source>
        <translation>跌落</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="23"/>
        <source>SOS</source>
        <translation>SOS 求救</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="24"/>
        <source>no motion</source>
        <translation>人员静止</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="25"/>
        <source>geofence breach</source>
        <translation>越界</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="26"/>
        <source>gas test failed</source>
        <translation>气体检测不合格</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="27"/>
        <source>work without a valid permit</source>
        <translation>无有效作业票作业</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="28"/>
        <source>stop-work not executed in time</source>
        <translation>停工指令未按时执行</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="29"/>
        <source>gas re-test overdue</source>
        <translation>气体复测超时</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="30"/>
        <source>supervisor check-in overdue</source>
        <translation>监护人签到超时</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="31"/>
        <source>permit past its validity</source>
        <translation>作业票已超有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="32"/>
        <source>permit about to expire</source>
        <translation>作业票即将到期</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="33"/>
        <source>certificate expiring</source>
        <translation>证书即将到期</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="34"/>
        <source>approval overdue, escalated</source>
        <translation>审批超时，已升级</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="36"/>
        <source>supervisor absent: stop of the work proposed</source>
        <translation>监护人未按时签到：建议停止作业</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="37"/>
        <source>wind raised the hot-work grade above its approval: suspension proposed</source>
        <translation>风力使动火等级高于已审批等级：建议暂停作业</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="40"/>
        <source>work resumed without a gas re-test after a pause</source>
        <translation>暂停后未复测气体即恢复作业</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="43"/>
        <source>work resumed after a failed gas test</source>
        <translation>气体检测不合格后恢复作业</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="44"/>
        <source>work started without its key-step photo</source>
        <translation>开工时缺少关键步骤照片</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="46"/>
        <source>entry refused at the gate</source>
        <translation>门禁拒绝进入</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_words.py" line="47"/>
        <source>entry without an allow</source>
        <translation>未经核验擅自进入</translation>
    </message>
</context>
<context>
    <name>ApprovalBlocker</name>
    <message>
        <location filename="../../views/approval_words.py" line="21"/>
        <source>nobody with an active account is signed in</source>
        <translation>没有有效账户登录</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="22"/>
        <source>the permit is %1, not waiting for approval</source>
        <translation>作业票状态为%1，不在待审批中</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="25"/>
        <source>the %1 role does not sign permits</source>
        <translation>%1角色不签批作业票</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="26"/>
        <source>%1 holds no approval level</source>
        <translation>%1 没有审批级别</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="27"/>
        <source>needs the signature of the %1 level; you sign at %2</source>
        <translation>需要%1级签字；您的审批级别为%2</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="30"/>
        <source>the green channel is only for urgent permits</source>
        <translation>绿色通道仅用于紧急作业票</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="31"/>
        <source>only the shift lead approves on the green channel</source>
        <translation>只有值班长可走绿色通道审批</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="34"/>
        <source>special-grade hot work needs the senior leader, even on the green channel</source>
        <translation>特级动火即使走绿色通道也需主管领导签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="40"/>
        <source>log in with your own active account</source>
        <translation>用您本人的有效账户登录</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="41"/>
        <source>nothing to approve: choose a submitted permit</source>
        <translation>无需审批：请选择待审批的作业票</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="42"/>
        <source>a shift lead or safety manager signs it</source>
        <translation>由值班长或安全经理签批</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="43"/>
        <source>the administrator gives you an approval level</source>
        <translation>由管理员为您设置审批级别</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="46"/>
        <source>a signer of that level signs it</source>
        <translation>由该级别的审批人签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="47"/>
        <source>tick the green channel (urgent: you alone, reviewed next day)</source>
        <translation>勾选绿色通道（紧急：由您单独审批，次日复核）</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="50"/>
        <source>untick the green channel and sign normally</source>
        <translation>取消绿色通道，按正常流程签批</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="51"/>
        <source>the shift lead signs it</source>
        <translation>由值班长签批</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="52"/>
        <source>the senior leader signs it</source>
        <translation>由主管领导签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="53"/>
        <source>a passing gas test is recorded</source>
        <translation>录入合格的气体检测结果</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="54"/>
        <source>the applicant completes it (send back)</source>
        <translation>由申请人补全（退回）</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="55"/>
        <source>a coordinator is named for the simultaneous jobs</source>
        <translation>为同时进行的作业指定协调人</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="58"/>
        <source>renew the certificate or change the crew (send back)</source>
        <translation>更新证书或更换作业人员（退回）</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="61"/>
        <source>the contractor&apos;s qualification is renewed in the register</source>
        <translation>在登记中更新承包商资质</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="64"/>
        <source>name a registered supervisor (send back)</source>
        <translation>指定已登记的监护人（退回）</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="65"/>
        <source>the applicant corrects it (send back)</source>
        <translation>由申请人更正（退回）</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="66"/>
        <source>the wind drops below the limit</source>
        <translation>风速降至限值以下</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="70"/>
        <source>✔ you may approve</source>
        <translation>✔ 您可审批</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="71"/>
        <source>✔ you, on the green channel</source>
        <translation>✔ 您可走绿色通道</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="72"/>
        <source>✖ blocked</source>
        <translation>✖ 被阻止</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="73"/>
        <source>another signer</source>
        <translation>其他审批人</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="78"/>
        <source>key-step photo missing</source>
        <translation>缺关键步骤照片</translation>
    </message>
    <message>
        <location filename="../../views/approval_words.py" line="79"/>
        <source>PHOTO ALTERED</source>
        <translation>照片被改动</translation>
    </message>
</context>
<context>
    <name>ApprovalDecision</name>
    <message>
        <location filename="../../views/i18n.py" line="107"/>
        <source>Approval</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="108"/>
        <source>Rejection</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="109"/>
        <source>Sent back</source>
        <translation>退回</translation>
    </message>
</context>
<context>
    <name>ApprovalLevels</name>
    <message>
        <location filename="../../views/i18n.py" line="90"/>
        <source>operating unit</source>
        <translation>基层单位</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="91"/>
        <source>safety department</source>
        <translation>安全管理部门</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="92"/>
        <source>senior leader</source>
        <translation>主管领导</translation>
    </message>
</context>
<context>
    <name>ApprovalView</name>
    <message>
        <location filename="../../views/approval_view.py" line="226"/>
        <source>Approval queue</source>
        <translation>审批队列</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="206"/>
        <source>Deadline in</source>
        <translation>审批时限</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="207"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="208"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="209"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="210"/>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="211"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="212"/>
        <source>Escalation</source>
        <translation>升级</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="213"/>
        <source>For you</source>
        <translation>您可否审批</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="216"/>
        <source>Re-enter your password to sign</source>
        <translation>再次输入密码以签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="217"/>
        <source>Green channel (urgent: shift lead alone, reviewed next day)</source>
        <translation>绿色通道（紧急：值班长单独审批，次日复核）</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="218"/>
        <source>Why the work cannot wait</source>
        <translation>作业不能等待的理由</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="219"/>
        <source>Approve and sign</source>
        <translation>批准并签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="221"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="222"/>
        <source>Send back</source>
        <translation>退回修改</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="242"/>
        <source>Signing as: nobody logged in</source>
        <translation>签字人：未登录</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="244"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="246"/>
        <source>Signing as: {name} ({user}), role {role}, approval level {level}</source>
        <translation>签字人：{name}（{user}），角色 {role}，审批层级 {level}</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="278"/>
        <source>URGENT</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="289"/>
        <source>Approval queue ({n} waiting)</source>
        <translation>审批队列（{n} 项待审）</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="343"/>
        <source>sent back: {reason}</source>
        <translation>已退回：{reason}</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="347"/>
        <source>→ {who}</source>
        <translation>→ {who}</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="349"/>
        <source>permit {p} waits {m} min past its approval deadline: escalated to {who}</source>
        <translation>作业票 {p} 已超过审批期限 {m} 分钟：已升级至{who}</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="366"/>
        <source>with applicant</source>
        <translation>申请人处理中</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="369"/>
        <source>OVERDUE {t}</source>
        <translation>逾期 {t}</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="420"/>
        <location filename="../../views/approval_view.py" line="434"/>
        <source>select a permit in the queue</source>
        <translation>请在队列中选择作业票</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="427"/>
        <source>give the green-channel reason</source>
        <translation>请填写绿色通道理由</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="429"/>
        <source>re-enter your password to sign</source>
        <translation>请再次输入密码以签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="437"/>
        <source>your role does not decide on permits</source>
        <translation>您的角色无审批权</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="439"/>
        <source>only a submitted permit can be rejected or sent back</source>
        <translation>只能驳回或退回已提交的作业票</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="441"/>
        <source>choose the reason first</source>
        <translation>请先选择原因</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="445"/>
        <source>working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="459"/>
        <source>Approve not possible: {why}</source>
        <translation>无法批准：{why}</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="475"/>
        <source>Nothing blocks the approval.</source>
        <translation>没有阻止审批的事项。</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="478"/>
        <source>%1 blocker(s), all of them:</source>
        <translation>共 %1 项阻止审批，全部如下：</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="482"/>
        <source>%1 — clears when: %2</source>
        <translation>%1 —— 解除条件：%2</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="498"/>
        <source>Signing {p}…</source>
        <translation>正在签署 {p}…</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="521"/>
        <source>{p}: signed</source>
        <translation>{p}：已签字</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="522"/>
        <source>{p}: rejected</source>
        <translation>{p}：已驳回</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="523"/>
        <source>{p}: sent back to the applicant</source>
        <translation>{p}：已退回申请人</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="528"/>
        <source>{p}: approved</source>
        <translation>{p}：已批准</translation>
    </message>
    <message>
        <location filename="../../views/approval_view.py" line="531"/>
        <source>{p}: signed; still needs {levels}</source>
        <translation>{p}：已签字；还需 {levels}</translation>
    </message>
</context>
<context>
    <name>AreaTile</name>
    <message>
        <location filename="../../widgets/value_tile.py" line="25"/>
        <source>HOT</source>
        <translation>动火</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="26"/>
        <source>CSE</source>
        <translation>受限</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="27"/>
        <source>BLIND</source>
        <translation>盲板</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="28"/>
        <source>HEIGHT</source>
        <translation>高处</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="29"/>
        <source>LIFT</source>
        <translation>吊装</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="30"/>
        <source>POWER</source>
        <translation>临电</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="31"/>
        <source>DIG</source>
        <translation>动土</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="32"/>
        <source>ROAD</source>
        <translation>断路</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="35"/>
        <source>MAJOR risk</source>
        <translation>重大风险</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="36"/>
        <source>HIGH risk</source>
        <translation>较大风险</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="37"/>
        <source>GENERAL risk</source>
        <translation>一般风险</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="38"/>
        <source>LOW risk</source>
        <translation>低风险</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="170"/>
        <source>No alarms</source>
        <translation>无报警</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="302"/>
        <source>No active permits</source>
        <translation>无进行中作业</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="318"/>
        <source>No gas detector</source>
        <translation>无气体检测仪</translation>
    </message>
    <message>
        <location filename="../../widgets/value_tile.py" line="329"/>
        <source>%1 % of %2 %3</source>
        <translation>%2 %3 的 %1 %</translation>
    </message>
</context>
<context>
    <name>CockpitWindows</name>
    <message>
        <location filename="../../views/main_window.py" line="301"/>
        <source>Scale %1 %</source>
        <translation>缩放 %1 %</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="310"/>
        <source>Layout saved</source>
        <translation>布局已保存</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="312"/>
        <source>Layout not saved: %1</source>
        <translation>布局未保存：%1</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="364"/>
        <source>Incident layout: %1</source>
        <translation>应急布局：%1</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="443"/>
        <source>Field link: %1 (%2)</source>
        <translation>现场链路：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="448"/>
        <source>%1 records waiting for the database</source>
        <translation>%1 条记录等待写入数据库</translation>
    </message>
</context>
<context>
    <name>CommandsView</name>
    <message>
        <location filename="../../views/commands_view.py" line="113"/>
        <source>STOP</source>
        <translation>停工</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="113"/>
        <source>RESUME</source>
        <translation>复工</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="115"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="115"/>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="143"/>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="143"/>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="153"/>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="154"/>
        <source>executed</source>
        <translation>已执行</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="155"/>
        <source>REJECTED</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="156"/>
        <source>NOT EXECUTED IN TIME</source>
        <translation>未按时执行</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="164"/>
        <source>No area is stopped.</source>
        <translation>没有停工的区域。</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="167"/>
        <source>Give a reason to resume work.</source>
        <translation>请填写复工理由。</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="174"/>
        <source>Resume-work command sent to %1.</source>
        <translation>复工指令已发送至 %1。</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="189"/>
        <source>Issued</source>
        <translation>下达时间</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="190"/>
        <source>Command</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="191"/>
        <source>Site / area</source>
        <translation>厂区 / 区域</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="192"/>
        <source>Auto/manual</source>
        <translation>自动/手动</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="193"/>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="194"/>
        <source>Delivery</source>
        <translation>送达</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="195"/>
        <source>Permits</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="196"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="199"/>
        <source>No stop or resume commands in the last two days.</source>
        <translation>近两天没有停工或复工指令。</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="200"/>
        <source>Resume work (shift lead)</source>
        <translation>复工（值班长）</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="201"/>
        <source>Reason for resuming (required)</source>
        <translation>复工理由（必填）</translation>
    </message>
    <message>
        <location filename="../../views/commands_view.py" line="202"/>
        <source>Resume work</source>
        <translation>复工</translation>
    </message>
</context>
<context>
    <name>ContractorPerformance</name>
    <message>
        <location filename="../../views/performance_words.py" line="21"/>
        <source>No figures for this contractor in the period.</source>
        <translation>此期间该承包商无统计数据。</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="26"/>
        <source>not recorded yet</source>
        <translation>尚未记录</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="32"/>
        <source>Rank %1 of %2 (best first: fewest violation points)</source>
        <translation>排名 %1 / %2（由优到差：违章记分最少者在前）</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="37"/>
        <source>Permits worked: %1 (%2 work-hours)</source>
        <translation>作业票：%1 张（作业工时 %2 小时）</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="40"/>
        <source>Violations: %1 (%2 points)</source>
        <translation>违章：%1 次（记 %2 分）</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="43"/>
        <source>Stop-works in its work: %1</source>
        <translation>其作业被停工：%1 次</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="46"/>
        <source>Near misses: %1</source>
        <translation>未遂事件：%1</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="47"/>
        <source>Certificate lapses: %1</source>
        <translation>证书失效：%1 张</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="50"/>
        <source>Grade by the rule at each month&apos;s end: %1</source>
        <translation>各月末按规则评定的等级：%1</translation>
    </message>
    <message>
        <location filename="../../views/performance_words.py" line="58"/>
        <source>Safety performance, %1 – %2</source>
        <translation>安全绩效（%1 – %2）</translation>
    </message>
</context>
<context>
    <name>ContractorRegisterView</name>
    <message>
        <location filename="../../views/contractor_register_view.py" line="99"/>
        <source>Search: contractor code or name</source>
        <translation>搜索：承包商编码或名称</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="101"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="101"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="101"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="101"/>
        <location filename="../../views/contractor_register_view.py" line="266"/>
        <location filename="../../views/contractor_register_view.py" line="284"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="103"/>
        <source>Edit (administrators and safety managers)</source>
        <translation>编辑（管理员和安全经理）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="107"/>
        <source>Contractor code</source>
        <translation>承包商编码</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="108"/>
        <source>Contractor name</source>
        <translation>承包商名称</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="109"/>
        <location filename="../../views/contractor_register_view.py" line="261"/>
        <source>Qualification</source>
        <translation>资质</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="110"/>
        <source>Qualification number</source>
        <translation>资质证书编号</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="111"/>
        <location filename="../../views/contractor_register_view.py" line="263"/>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="112"/>
        <location filename="../../views/contractor_register_view.py" line="264"/>
        <source>Valid from</source>
        <translation>有效期自</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="113"/>
        <location filename="../../views/contractor_register_view.py" line="265"/>
        <source>Valid to</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="114"/>
        <source>Reason (blacklist, grade)</source>
        <translation>理由（黑名单、等级）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="115"/>
        <source>Grade override</source>
        <translation>人工调整等级</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="116"/>
        <source>Violation: worker ID (optional)</source>
        <translation>违章：人员编号（可选）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="117"/>
        <source>Violation points</source>
        <translation>违章记分</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="118"/>
        <source>Violation date</source>
        <translation>违章日期</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="119"/>
        <source>Violation description</source>
        <translation>违章描述</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="123"/>
        <source>Save contractor</source>
        <translation>保存承包商</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="124"/>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="125"/>
        <source>Add qualification</source>
        <translation>添加资质</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="126"/>
        <source>Blacklist</source>
        <translation>列入黑名单</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="127"/>
        <source>Lift blacklist</source>
        <translation>解除黑名单</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="128"/>
        <source>Set grade</source>
        <translation>设定等级</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="129"/>
        <source>Record violation</source>
        <translation>记录违章</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="135"/>
        <source>By the rule (clear the override)</source>
        <translation>按规则（取消人工调整）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="155"/>
        <source>BLACKLISTED</source>
        <translation>已列入黑名单</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="156"/>
        <location filename="../../views/contractor_register_view.py" line="290"/>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="156"/>
        <location filename="../../views/contractor_register_view.py" line="290"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="181"/>
        <source>By the rule today: {g} ({p} violation points in the last 12 months; {why})</source>
        <translation>按规则今日等级：{g}（近12个月违章记 {p} 分；{why}）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="183"/>
        <source>By the rule today: {g} ({p} violation points in the last 12 months)</source>
        <translation>按规则今日等级：{g}（近12个月违章记 {p} 分）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="187"/>
        <source>By the rule today: {g} (no violations in the last 12 months; {why})</source>
        <translation>按规则今日等级：{g}（近12个月无违章；{why}）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="190"/>
        <source>By the rule today: {g} (no violations in the last 12 months)</source>
        <translation>按规则今日等级：{g}（近12个月无违章）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="204"/>
        <source>Grade in force: {g}</source>
        <translation>现行等级：{g}</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="208"/>
        <source>Overridden to {g} by {who} on {when}: {why}</source>
        <translation>已由 {who} 于 {when} 调整为 {g}：{why}</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="216"/>
        <source>Blacklisted: {why}</source>
        <translation>已列入黑名单：{why}</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="218"/>
        <source>The rule</source>
        <translation>评级规则</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="257"/>
        <source>Qualifications</source>
        <translation>资质</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="262"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="281"/>
        <source>Workers ({n})</source>
        <translation>人员（{n}）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="284"/>
        <location filename="../../views/contractor_register_view.py" line="302"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="284"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="284"/>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="296"/>
        <source>Violations</source>
        <translation>违章</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="300"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="301"/>
        <source>Points</source>
        <translation>记分</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="303"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="304"/>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="305"/>
        <source>Counts</source>
        <translation>计入</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="314"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../views/contractor_register_view.py" line="314"/>
        <source>no (older)</source>
        <translation>否（已超期）</translation>
    </message>
</context>
<context>
    <name>ContractorView</name>
    <message>
        <location filename="../../views/contractor_view.py" line="130"/>
        <source>Search: contractor name or code, worker name or ID, certificate number, pinyin initials</source>
        <translation>搜索：承包商名称或编号、人员姓名或工号、证书编号、拼音首字母</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="133"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="133"/>
        <location filename="../../views/contractor_view.py" line="140"/>
        <location filename="../../views/contractor_view.py" line="344"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="133"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="133"/>
        <source>Matched by</source>
        <translation>匹配项</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="137"/>
        <location filename="../../views/contractor_view.py" line="319"/>
        <location filename="../../views/contractor_view.py" line="379"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="138"/>
        <location filename="../../views/contractor_view.py" line="319"/>
        <location filename="../../views/contractor_view.py" line="377"/>
        <source>Valid to</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="139"/>
        <location filename="../../views/contractor_view.py" line="344"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="141"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="142"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="143"/>
        <location filename="../../views/contractor_view.py" line="344"/>
        <location filename="../../views/contractor_view.py" line="376"/>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="146"/>
        <source>Certificates expiring</source>
        <translation>即将到期的证书</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="147"/>
        <source>Lookup</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="148"/>
        <source>Expiring certificates</source>
        <translation>到期证书</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="179"/>
        <source>contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="180"/>
        <source>worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="181"/>
        <source>certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="184"/>
        <source>code</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="185"/>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="186"/>
        <source>worker ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="187"/>
        <source>certificate number</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="188"/>
        <source>pinyin initials</source>
        <translation>拼音首字母</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="237"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="238"/>
        <source>expires in {n} days</source>
        <translation>{n} 天后到期</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="239"/>
        <source>EXPIRES in {n} days</source>
        <translation>{n} 天后到期</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="240"/>
        <source>EXPIRED {n} days ago</source>
        <translation>已过期 {n} 天</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="241"/>
        <source>no end date on record</source>
        <translation>无截止日期记录</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="242"/>
        <source>no certificate</source>
        <translation>无证书</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="257"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="282"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="282"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="282"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="282"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="282"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="293"/>
        <source>(1 point)</source>
        <translation>（1 分）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="293"/>
        <source>({n} points)</source>
        <translation>（{n} 分）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="303"/>
        <location filename="../../views/contractor_view.py" line="363"/>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="306"/>
        <source>Grade {g}</source>
        <translation>等级 {g}</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="309"/>
        <source>BLACKLISTED: {why}</source>
        <translation>黑名单：{why}</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="314"/>
        <source>Safety performance of the last 90 days: reading…</source>
        <translation>近 90 天安全绩效：读取中…</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="316"/>
        <source>Qualifications</source>
        <translation>资质</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="319"/>
        <source>Qualification</source>
        <translation>资质</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="319"/>
        <location filename="../../views/contractor_view.py" line="375"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="327"/>
        <source>Violations ({n}, {p} points)</source>
        <translation>违章（{n} 次，{p} 分）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="341"/>
        <source>Workers ({n})</source>
        <translation>作业人员（{n}）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="344"/>
        <location filename="../../views/contractor_view.py" line="371"/>
        <source>Certificates</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="355"/>
        <source>Current permits</source>
        <translation>当前作业票</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="366"/>
        <location filename="../../views/contractor_view.py" line="429"/>
        <source>own staff</source>
        <translation>本厂员工</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="367"/>
        <source>Trade: {trade} · {employer} · phone {phone}</source>
        <translation>工种：{trade} · {employer} · 电话 {phone}</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="378"/>
        <source>Review due</source>
        <translation>复审到期</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="390"/>
        <source>Training and authorised scope</source>
        <translation>培训与授权范围</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="393"/>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="393"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="393"/>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="400"/>
        <source>Permits, current and past</source>
        <translation>作业票（当前与历史）</translation>
    </message>
    <message>
        <location filename="../../views/contractor_view.py" line="435"/>
        <source>Certificates: {e} expired, {a} expiring within 30 days, {b} within 60 days</source>
        <translation>证书：已过期 {e}，30 天内到期 {a}，60 天内到期 {b}</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <location filename="../../views/permit_tables.py" line="50"/>
        <source>{days}d {clock}</source>
        <translation>{days}天 {clock}</translation>
    </message>
</context>
<context>
    <name>DecisionReasonPicker</name>
    <message>
        <location filename="../../views/decision_reason.py" line="61"/>
        <source>Reason…</source>
        <translation>原因……</translation>
    </message>
    <message>
        <location filename="../../views/decision_reason.py" line="66"/>
        <source>What the refusal is about: the monthly report counts it by this</source>
        <translation>驳回或退回的原因类别：月度分析按此统计</translation>
    </message>
    <message>
        <location filename="../../views/decision_reason.py" line="67"/>
        <source>Details (optional)</source>
        <translation>详细说明（选填）</translation>
    </message>
</context>
<context>
    <name>DemoMark</name>
    <message>
        <location filename="../../widgets/badges.py" line="202"/>
        <location filename="../../widgets/badges.py" line="218"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="203"/>
        <location filename="../../widgets/badges.py" line="219"/>
        <source>Simulated data: not the plant</source>
        <translation>模拟数据：并非现场实况</translation>
    </message>
</context>
<context>
    <name>DetectorsView</name>
    <message>
        <location filename="../../views/detectors_view.py" line="49"/>
        <source>ID {value!r} not allowed: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</source>
        <translation>编号 {value!r} 不允许：只能用字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="52"/>
        <source>There is no detector {device}</source>
        <translation>没有探测器 {device}</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="53"/>
        <source>Channel {ch!r} not allowed: letters and digits</source>
        <translation>通道 {ch!r} 不允许：只能用字母和数字</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="56"/>
        <source>{ch} is measured in {unit} on the wire, not {given!r}</source>
        <translation>{ch} 在通信中的单位是 {unit}，不是 {given!r}</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="59"/>
        <source>Unknown limit profile {profile!r}</source>
        <translation>未知的限值方案 {profile!r}</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="60"/>
        <source>The maximum age must be above 0 and at most {max:g} s</source>
        <translation>最大数据龄必须大于 0 且不超过 {max:g} 秒</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="63"/>
        <source>The position must be two numbers in metres, or none</source>
        <translation>位置必须是两个数（米），或都不填</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="66"/>
        <source>{ch} {field} {value} is looser than the {profile} profile&apos;s {floor}: stricter limits only</source>
        <translation>{ch} {field} {value} 比 {profile} 方案的 {floor} 宽松：只能设定更严格的限值</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="70"/>
        <source>{ch}: {low} {low_value} must lie below {high} {high_value}</source>
        <translation>{ch}：{low} {low_value} 必须低于 {high} {high_value}</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="73"/>
        <source>{ch}: the limits are too close for an alarm to return to normal</source>
        <translation>{ch}：限值过近，报警无法恢复正常</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="76"/>
        <source>{ch} {field}: a limit must be a number</source>
        <translation>{ch} {field}：限值必须是数字</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="79"/>
        <source>WIND belongs to a wind mast: add it there</source>
        <translation>WIND 属于风速仪：请在风速仪中添加</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="83"/>
        <source>{field}: {text!r} is not a number</source>
        <translation>{field}：{text!r} 不是数字</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="270"/>
        <source>Gas detectors</source>
        <translation>气体检测仪</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="271"/>
        <source>Wind masts</source>
        <translation>风速仪</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="273"/>
        <source>Sparkplug mapping</source>
        <translation>Sparkplug 映射</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="275"/>
        <source>Sparkplug stop-work</source>
        <translation>Sparkplug 停工指令</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="276"/>
        <location filename="../../views/detectors_view.py" line="280"/>
        <location filename="../../views/detectors_view.py" line="306"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="276"/>
        <location filename="../../views/detectors_view.py" line="281"/>
        <location filename="../../views/detectors_view.py" line="306"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="276"/>
        <location filename="../../views/detectors_view.py" line="303"/>
        <source>Detector</source>
        <translation>探测器</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="276"/>
        <location filename="../../views/detectors_view.py" line="283"/>
        <location filename="../../views/detectors_view.py" line="306"/>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="277"/>
        <location filename="../../views/detectors_view.py" line="284"/>
        <source>Position (m)</source>
        <translation>位置（米）</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="277"/>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="282"/>
        <location filename="../../views/detectors_view.py" line="305"/>
        <source>Wind mast</source>
        <translation>风速仪</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="285"/>
        <location filename="../../views/detectors_view.py" line="297"/>
        <location filename="../../views/detectors_view.py" line="309"/>
        <location filename="../../views/detectors_view.py" line="321"/>
        <location filename="../../views/detectors_view.py" line="488"/>
        <location filename="../../views/detectors_view.py" line="508"/>
        <source>Maximum age (s)</source>
        <translation>最大数据龄（秒）</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="290"/>
        <location filename="../../views/detectors_view.py" line="304"/>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="291"/>
        <location filename="../../views/detectors_view.py" line="315"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="292"/>
        <location filename="../../views/detectors_view.py" line="316"/>
        <source>Limit profile</source>
        <translation>限值方案</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="301"/>
        <source>Channels (* the channel&apos;s own limit, stricter than the profile)</source>
        <translation>通道（* 为本通道自设限值，严于方案）</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="307"/>
        <source>X on the plan (m)</source>
        <translation>平面图 X（米）</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="307"/>
        <source>Y on the plan (m)</source>
        <translation>平面图 Y（米）</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="308"/>
        <source>Detector ID</source>
        <translation>探测器编号</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="310"/>
        <source>Wind mast ID</source>
        <translation>风速仪编号</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="314"/>
        <source>Gas</source>
        <translation>气体</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="325"/>
        <source>Save detector</source>
        <translation>保存探测器</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="326"/>
        <source>Save channel</source>
        <translation>保存通道</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="327"/>
        <source>Delete channel</source>
        <translation>删除通道</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="328"/>
        <source>Save wind mast</source>
        <translation>保存风速仪</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="332"/>
        <location filename="../../views/detectors_view.py" line="333"/>
        <source>the connection&apos;s default</source>
        <translation>使用连接默认值</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="347"/>
        <source>profile: %1</source>
        <translation>方案：%1</translation>
    </message>
    <message>
        <location filename="../../views/detectors_view.py" line="518"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>DiagnosticsView</name>
    <message>
        <location filename="../../views/diagnostics_view.py" line="48"/>
        <source>server not reachable</source>
        <translation>服务器无法连接</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="49"/>
        <source>server did not answer in time</source>
        <translation>服务器未及时应答</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="50"/>
        <source>encryption failed (certificate?)</source>
        <translation>加密失败（证书？）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="51"/>
        <source>mail login refused</source>
        <translation>邮件登录被拒绝</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="52"/>
        <source>mail server offers no STARTTLS</source>
        <translation>邮件服务器不支持 STARTTLS</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="53"/>
        <source>mail server offers no login</source>
        <translation>邮件服务器不支持登录</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="54"/>
        <source>mail addresses refused</source>
        <translation>收件地址被拒绝</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="55"/>
        <source>mail server error</source>
        <translation>邮件服务器错误</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="56"/>
        <source>no key or password in the keyring</source>
        <translation>密钥环中无密钥或密码</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="57"/>
        <source>keyring not usable</source>
        <translation>密钥环不可用</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="58"/>
        <source>keyring locked (log in to unlock it)</source>
        <translation>密钥环已锁定（登录桌面以解锁）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="59"/>
        <source>robot answered something unreadable</source>
        <translation>机器人应答无法解析</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="60"/>
        <source>internal error (see the log)</source>
        <translation>内部错误（见日志）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="62"/>
        <source>refused by the server (%1)</source>
        <translation>被服务器拒绝（%1）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="65"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="66"/>
        <source>Detector</source>
        <translation>探测器</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="279"/>
        <source>since %1</source>
        <translation>自 %1 起</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="292"/>
        <source>%1 published, %2 delivered, %3 waiting, %4 dropped while offline</source>
        <translation>已发布 %1，已送达 %2，等待 %3，离线丢弃 %4</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="325"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="325"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="331"/>
        <source>%1 of %2 alive</source>
        <translation>%2 个中 %1 个在线</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="336"/>
        <source>; not alive: %1</source>
        <translation>；离线：%1</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="340"/>
        <source>%1 asked (%2 sequence gaps, %3 unknown aliases, %4 before a birth)</source>
        <translation>已请求 %1 次（序号缺口 %2，未知别名 %3，出生前数据 %4）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="359"/>
        <source>off (no route in [notify])</source>
        <translation>未启用（[notify] 中无路由）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="365"/>
        <source>on, %1 waiting</source>
        <translation>已启用，%1 条待发</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="368"/>
        <source>%1 given up, %2 retries, %3 dropped (queue full)</source>
        <translation>%1 条重试后放弃，重试 %2 次，%3 条丢弃（队列满）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="396"/>
        <source>%1 (trends are kept for the first %2 channels only)</source>
        <translation>%1（仅前 %2 个通道保存趋势）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="398"/>
        <source>none (trends are kept for up to %2 channels)</source>
        <translation>无（最多为 %2 个通道保存趋势）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="407"/>
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="408"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="409"/>
        <source>Broker</source>
        <translation>消息代理</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="410"/>
        <source>Messages in</source>
        <translation>接收消息</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="411"/>
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="412"/>
        <source>Queue lag</source>
        <translation>队列延迟</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="413"/>
        <source>Lost by sequence gaps</source>
        <translation>序号缺口丢失</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="414"/>
        <source>Channels without trends</source>
        <translation>无趋势记录的通道</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="415"/>
        <source>Outgoing</source>
        <translation>发出</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="416"/>
        <source>Duty holder</source>
        <translation>职责承担者</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="417"/>
        <source>This console&apos;s part</source>
        <translation>本控制台的角色</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="418"/>
        <source>Notifier</source>
        <translation>通知服务</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="419"/>
        <location filename="../../views/diagnostics_view.py" line="441"/>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="420"/>
        <location filename="../../views/diagnostics_view.py" line="441"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="421"/>
        <location filename="../../views/diagnostics_view.py" line="441"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="422"/>
        <source>Host application</source>
        <translation>主机应用</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="423"/>
        <source>Edge nodes</source>
        <translation>边缘节点</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="424"/>
        <source>Rebirths</source>
        <translation>重生请求</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="428"/>
        <source>Field link</source>
        <translation>现场链路</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="429"/>
        <source>Rejected by reason</source>
        <translation>按原因统计的拒收</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="430"/>
        <location filename="../../views/diagnostics_view.py" line="448"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="430"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="437"/>
        <source>Notifications (mail, chat robots)</source>
        <translation>通知（邮件、群机器人）</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="438"/>
        <source>Sparkplug B</source>
        <translation>Sparkplug B</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="439"/>
        <source>Metrics mapped to no channel</source>
        <translation>未映射到通道的指标</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="67"/>
        <location filename="../../views/diagnostics_view.py" line="441"/>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="431"/>
        <source>Heard on the wire, not in the register</source>
        <translation>现场收到但未登记</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="433"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="433"/>
        <source>Missing</source>
        <translation>未登记项</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="433"/>
        <source>Heard with it</source>
        <translation>一并收到</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="435"/>
        <source>Add to the register…</source>
        <translation>加入登记册…</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="443"/>
        <source>Last rejected messages</source>
        <translation>最近拒收的消息</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="446"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="447"/>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="449"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../views/diagnostics_view.py" line="450"/>
        <source>Excerpt</source>
        <translation>摘录</translation>
    </message>
</context>
<context>
    <name>Duties</name>
    <message>
        <location filename="../../views/duty_words.py" line="17"/>
        <source>No one runs the plant&apos;s duties: automatic stop-work, escalations and replies are not running</source>
        <translation>无人承担全厂职责：自动停工、升级提醒和申请答复均未运行</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="20"/>
        <source>The duty holder is unknown (the database is silent): this console stops work by itself</source>
        <translation>职责承担者未知（数据库无响应）：本控制台自行停工</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="23"/>
        <source>this console (lease %1, held for %2 s)</source>
        <translation>本控制台（租约 %1，已持有 %2 秒）</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="24"/>
        <source>%1 on %2 (pid %3, lease %4, held for %5 s, renewed %6 s ago)</source>
        <translation>%2 上的 %1（进程 %3，租约 %4，已持有 %5 秒，%6 秒前续约）</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="25"/>
        <source>nobody (lease %1 expired)</source>
        <translation>无人（租约 %1 已过期）</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="27"/>
        <source>takes part (as a serve)</source>
        <translation>参与承担（与 serve 相同）</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="28"/>
        <source>stands in while no serve holds them</source>
        <translation>无 serve 承担时代为承担</translation>
    </message>
    <message>
        <location filename="../../views/duty_words.py" line="29"/>
        <source>never: serve instances run them</source>
        <translation>从不：由 serve 实例承担</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../views/shell.py" line="64"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../views/shell.py" line="65"/>
        <source>An unexpected error occurred and was logged. The cockpit keeps running.</source>
        <translation>发生意外错误，已记入日志。驾驶舱继续运行。</translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message>
        <location filename="../../views/error_words.py" line="20"/>
        <source>Not carried out: the database cannot be reached, nothing was changed. Try again once it is back. To stop work now, use Stop work on the area: it works without the database and is recorded when the database returns.</source>
        <translation>未执行：数据库无法连接，未作任何更改。请在数据库恢复后重试。如需立即停止作业，请对该区域使用“停止作业”：它不依赖数据库，数据库恢复后会补记。</translation>
    </message>
    <message>
        <location filename="../../views/error_words.py" line="26"/>
        <source>Not carried out: the database refused the change, nothing was changed (the log says why).</source>
        <translation>未执行：数据库拒绝了此更改，未作任何更改（原因见日志）。</translation>
    </message>
    <message>
        <location filename="../../views/error_words.py" line="31"/>
        <source>Not carried out: %1</source>
        <translation>未执行：%1</translation>
    </message>
</context>
<context>
    <name>Finding</name>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="46"/>
        <source>{permit} has no grade; grade {grade} is ignored</source>
        <translation>{permit}不分级；所填级别 {grade} 不予采用</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="47"/>
        <source>hot work needs a grade (special, 1 or 2): it sets validity and approver</source>
        <translation>动火作业须定级（特级、一级或二级）：级别决定有效期和审批人</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="50"/>
        <source>{base} raised to {permit}: {causes}</source>
        <translation>{base}升为{permit}：{causes}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="51"/>
        <source>{permit} (already the highest grade): {causes}</source>
        <translation>{permit}（已是最高级别）：{causes}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="52"/>
        <source>no wind reading: {permit} could not be checked against Beaufort 5 (8.0 m/s)</source>
        <translation>无风速读数：无法按五级风（8.0 m/s）核查{permit}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="55"/>
        <source>a permit needs at least one worker</source>
        <translation>作业票至少需要一名作业人员</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="56"/>
        <source>unknown worker(s) {workers}: register them before applying</source>
        <translation>未登记的作业人员 {workers}：申请前先登记</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="59"/>
        <source>worker {worker} is not registered</source>
        <translation>作业人员 {worker} 未登记</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="60"/>
        <source>worker(s) listed twice: {workers}</source>
        <translation>作业人员重复列出：{workers}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="61"/>
        <source>a permit needs a supervisor</source>
        <translation>作业票需要一名监护人</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="62"/>
        <source>unknown supervisor {supervisor}: register them before applying</source>
        <translation>未登记的监护人 {supervisor}：申请前先登记</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="65"/>
        <source>{supervisor} cannot be both supervisor and worker: the supervisor only watches</source>
        <translation>{supervisor} 不能既是监护人又是作业人员：监护人只负责监护</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="68"/>
        <source>the permit ends ({valid_to}) before it could be issued</source>
        <translation>作业票在签发前（{valid_to}）已到期</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="72"/>
        <source>the permit must end after it starts ({valid_to} is not after {valid_from})</source>
        <translation>作业票的结束时间须晚于开始时间（{valid_to} 不晚于 {valid_from}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="75"/>
        <source>{permit} is valid for at most {limit}; this permit asks for {span}</source>
        <translation>{permit}有效期最长 {limit}；本票申请 {span}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="78"/>
        <source>temporary power may not outlast the job it serves: the permit ends {over} after the job ({job_end})</source>
        <translation>临时用电不得超出所服务作业的期限：本票比作业（{job_end}）晚结束 {over}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="83"/>
        <source>worker {worker} holds no {trade} certificate</source>
        <translation>作业人员 {worker} 无{trade}证书</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="84"/>
        <source>worker {worker}&apos;s {trade} certificate {number} expired on {date}</source>
        <translation>作业人员 {worker} 的{trade}证书 {number} 已于 {date} 过期</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="87"/>
        <source>worker {worker}&apos;s {trade} certificate {number} missed its review due on {date}</source>
        <translation>作业人员 {worker} 的{trade}证书 {number} 未按期（{date}）复审</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="90"/>
        <source>worker {worker}&apos;s {trade} certificate {number} expires on {date}, before the permit ends on {until}</source>
        <translation>作业人员 {worker} 的{trade}证书 {number} 于 {date} 到期，早于作业票结束日 {until}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="94"/>
        <location filename="../../models/rules/finding_texts.py" line="97"/>
        <source>worker {worker}&apos;s {trade} certificate {number} expires in {days} days ({date})</source>
        <translation>作业人员 {worker} 的{trade}证书 {number} 将在 {days} 天后到期（{date}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="100"/>
        <source>worker {worker}&apos;s {trade} certificate {number} is due for review on {date}: apply now (within {days} days before)</source>
        <translation>作业人员 {worker} 的{trade}证书 {number} 应于 {date} 复审：请立即申请（须提前 {days} 天内）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="105"/>
        <source>contractor {contractor} is blacklisted and may not work on site</source>
        <translation>承包商 {contractor} 已列入黑名单，不得进场作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="108"/>
        <source>contractor {contractor} has no qualification on record: check it before approval</source>
        <translation>承包商 {contractor} 无资质记录：审批前须核查</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="111"/>
        <source>contractor {contractor}&apos;s qualifications expired on {date}</source>
        <translation>承包商 {contractor} 的资质已于 {date} 过期</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="114"/>
        <source>contractor {contractor}&apos;s qualifications expire in {days} days ({date})</source>
        <translation>承包商 {contractor} 的资质将在 {days} 天后到期（{date}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="117"/>
        <source>contractor {contractor} is not registered</source>
        <translation>承包商 {contractor} 未登记</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="118"/>
        <source>area {site}/{area} is not on the plant register</source>
        <translation>区域 {site}/{area} 不在厂区登记册中</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="119"/>
        <source>permit {permit_id} already exists ({state}): apply under a new id</source>
        <translation>作业票 {permit_id} 已存在（{state}）：请用新编号申请</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="123"/>
        <source>{permit} needs {need} before {stage}: every special-work permit rests on a job safety analysis</source>
        <translation>{permit}在{stage}前须完成{need}：每张特殊作业票都以工作危害分析为基础</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="127"/>
        <source>{permit} needs {need} before {stage}: the equipment must be isolated from energy and process media</source>
        <translation>{permit}在{stage}前须完成{need}：设备须与能量和工艺介质隔离</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="131"/>
        <source>{permit} needs {need} before {stage}: the atmosphere must be analysed before approval</source>
        <translation>{permit}在{stage}前须完成{need}：审批前须进行气体分析</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="135"/>
        <source>{permit} needs a photo of the key step &quot;{step}&quot; before work starts</source>
        <translation>{permit}开工前需拍摄关键步骤“{step}”的照片</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="138"/>
        <source>no photo of the key step &quot;{step}&quot;: {permit} may not go on without it</source>
        <translation>缺少关键步骤“{step}”的照片：{permit}不得继续</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="141"/>
        <source>the photo of the key step &quot;{step}&quot; was altered after it was taken: it is not evidence</source>
        <translation>关键步骤“{step}”的照片拍摄后被改动：不能作为证据</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="145"/>
        <source>the photo of the key step &quot;{step}&quot; could not be checked ({fetch}): it is not evidence</source>
        <translation>关键步骤“{step}”的照片无法核验（{fetch}）：不能作为证据</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="149"/>
        <source>{permit} needs a gas test sampled no more than {window} before work starts; none is recorded</source>
        <translation>{permit}须在作业开始前 {window} 内取样做气体检测；尚无记录</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="153"/>
        <source>the last gas test is {age} old; {permit} may start only within {window} of sampling: test again</source>
        <translation>上次气体检测已过去 {age}；{permit}只能在取样后 {window} 内开始：请重新检测</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="157"/>
        <source>{permit} has been paused for {pause} (more than {limit}): take a new gas test no more than {window} before resuming</source>
        <translation>{permit}已暂停 {pause}（超过 {limit}）：恢复作业前 {window} 内须重新检测气体</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="162"/>
        <source>{permit} started without a gas test sampled within {window} before the start</source>
        <translation>{permit}开始前 {window} 内未做气体检测即已开工</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="165"/>
        <source>{permit} started without a gas test sampled within {window} before the start (the last one was {age} earlier)</source>
        <translation>{permit}开始前 {window} 内未做气体检测即已开工（上次检测早于开工 {age}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="170"/>
        <source>{permit} resumed after a pause of {pause} (more than {limit}) without a gas test taken within {window} before resuming</source>
        <translation>{permit}暂停 {pause}（超过 {limit}）后恢复作业，恢复前 {window} 内未做气体检测</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="175"/>
        <source>the site re-tests every {period}; the last gas test was {age} ago</source>
        <translation>本厂每 {period} 复测一次；上次气体检测在 {age} 前</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="178"/>
        <source>confined space records a gas reading at least every {period}; the last was {age} ago</source>
        <translation>受限空间至少每 {period} 记录一次气体读数；上次在 {age} 前</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="181"/>
        <source>{permit} needs continuous gas monitoring, and no detector is reporting</source>
        <translation>{permit}须连续监测气体，但没有探测器在上报</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="184"/>
        <source>the {channel} reading is of bad quality and cannot pass a gas test</source>
        <translation>{channel} 读数质量差，不能作为合格的气体检测</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="187"/>
        <source>the {channel} reading {value} {unit} is of uncertain quality</source>
        <translation>{channel} 读数 {value} {unit} 质量存疑</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="190"/>
        <source>{channel} {value} %VOL is above the limit of {limit_vol} %VOL for {permit}</source>
        <translation>{channel} {value} %VOL 超过{permit}的限值 {limit_vol} %VOL</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="193"/>
        <source>{channel} {value} %LEL ({vol} %VOL at an LEL of {lel} %VOL) is above the limit of {limit_vol} %VOL for {permit}</source>
        <translation>{channel} {value} %LEL（按爆炸下限 {lel} %VOL 折合 {vol} %VOL）超过{permit}的限值 {limit_vol} %VOL</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="198"/>
        <source>oxygen {value} %VOL is below {bound} %VOL</source>
        <translation>氧含量 {value} %VOL 低于 {bound} %VOL</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="199"/>
        <source>oxygen {value} %VOL is above {bound} %VOL</source>
        <translation>氧含量 {value} %VOL 高于 {bound} %VOL</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="200"/>
        <source>{channel} {value} ppm is not below its limit of {bound} ppm</source>
        <translation>{channel} {value} ppm 未低于限值 {bound} ppm</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="203"/>
        <source>no combustible gas reading (LEL or CH4) of good quality: {permit} cannot pass</source>
        <translation>无质量良好的可燃气读数（LEL 或 CH4）：{permit}不能判为合格</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="206"/>
        <source>no oxygen reading of good quality: confined space cannot pass</source>
        <translation>无质量良好的氧含量读数：受限空间作业不能判为合格</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="209"/>
        <source>the {channel} reading is in &apos;{unit}&apos;, which a gas test cannot judge (expected {expected})</source>
        <translation>{channel} 读数单位为“{unit}”，气体检测无法判定（应为 {expected}）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="212"/>
        <source>the latest gas test ({time}, by {by}) failed: ventilate or isolate, then test again</source>
        <translation>最近一次气体检测（{time}，{by}）不合格：通风或隔离后重新检测</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="216"/>
        <source>hot work and blinding may not run within {min_m} m of each other: {permit} permit {other} is {distance} m away at the same time</source>
        <translation>动火与盲板抽堵作业相距不得在 {min_m} m 以内：{permit}票 {other} 同时在 {distance} m 外作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="221"/>
        <source>{permit} permit {other} runs at the same time in area {area} and its distance is unknown: make sure hot work and blinding are more than {min_m} m apart</source>
        <translation>{permit}票 {other} 同时在区域 {area} 作业，距离不明：须确认动火与盲板抽堵相距超过 {min_m} m</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="226"/>
        <source>one blinding job at a time on a pipeline: permit {other} already blinds {pipeline} in the same period</source>
        <translation>同一管道同一时间只能有一处盲板抽堵：作业票 {other} 同期已在 {pipeline} 抽堵盲板</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="231"/>
        <source>{count} other permit(s) overlap in area {area} ({others}): name a coordinator for the simultaneous jobs</source>
        <translation>区域 {area} 另有 {count} 张作业票同时作业（{others}）：须指定交叉作业协调人</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="236"/>
        <source>permit(s) {others} overlapping in area {area} name no coordinator or another one than {coordinator}</source>
        <translation>区域 {area} 同时作业的作业票 {others} 未指定协调人或协调人不是 {coordinator}</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="242"/>
        <source>a permit cannot go from {state} to {target}: {state} is final</source>
        <translation>作业票不能从“{state}”转为“{target}”：“{state}”是最终状态</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="245"/>
        <source>a permit cannot go from {state} to {target}: it is already {state}</source>
        <translation>作业票不能从“{state}”转为“{target}”：已是“{state}”</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="248"/>
        <source>a permit cannot go from {state} to {target}: stop the work first (suspend it), then cancel</source>
        <translation>作业票不能从“{state}”转为“{target}”：先停止作业（暂停），再取消</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="252"/>
        <source>a permit cannot go from {state} to {target}: work that never started is cancelled, not closed</source>
        <translation>作业票不能从“{state}”转为“{target}”：未开始的作业应取消而不是关闭</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="256"/>
        <source>a permit cannot go from {state} to {target}: only a submitted permit can be sent back</source>
        <translation>作业票不能从“{state}”转为“{target}”：只有待审批的作业票可以退回</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="259"/>
        <source>a permit cannot go from {state} to {target}: only a submitted permit can be rejected</source>
        <translation>作业票不能从“{state}”转为“{target}”：只有待审批的作业票可以驳回</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="262"/>
        <source>a permit cannot go from {state} to {target}: only a submitted permit can be approved</source>
        <translation>作业票不能从“{state}”转为“{target}”：只有待审批的作业票可以批准</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="265"/>
        <source>a permit cannot go from {state} to {target}: work can start only on an approved permit or resume on a suspended one</source>
        <translation>作业票不能从“{state}”转为“{target}”：只有已批准的作业票可以开工，已暂停的可以恢复</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="270"/>
        <source>a permit cannot go from {state} to {target}: only active work can be suspended</source>
        <translation>作业票不能从“{state}”转为“{target}”：只有作业中的作业票可以暂停</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="273"/>
        <source>a permit cannot go from {state} to {target}: a permit that was never approved cannot expire</source>
        <translation>作业票不能从“{state}”转为“{target}”：从未批准的作业票不会过期</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="277"/>
        <source>a permit cannot go from {state} to {target}: from {state} it can go to {states}</source>
        <translation>作业票不能从“{state}”转为“{target}”：“{state}”只能转为 {states}</translation>
    </message>
</context>
<context>
    <name>FindingSpan</name>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="330"/>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="331"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="332"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="333"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
</context>
<context>
    <name>FindingTerm</name>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="284"/>
        <source>hot work</source>
        <translation>动火作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="285"/>
        <source>hot work special grade</source>
        <translation>特级动火作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="286"/>
        <source>hot work grade 1</source>
        <translation>一级动火作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="287"/>
        <source>hot work grade 2</source>
        <translation>二级动火作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="288"/>
        <source>confined space</source>
        <translation>受限空间作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="289"/>
        <source>blinding</source>
        <translation>盲板抽堵作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="290"/>
        <source>work at height</source>
        <translation>高处作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="291"/>
        <source>lifting</source>
        <translation>吊装作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="292"/>
        <source>temporary power</source>
        <translation>临时用电作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="293"/>
        <source>excavation</source>
        <translation>动土作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="294"/>
        <source>road closure</source>
        <translation>断路作业</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="295"/>
        <source>site cleared before ignition</source>
        <translation>动火前现场已清理</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="296"/>
        <source>harness clipped before climbing</source>
        <translation>登高前安全带已挂牢</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="297"/>
        <source>isolation locked and tagged</source>
        <translation>能源隔离已上锁挂牌</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="298"/>
        <source>blind plate fitted</source>
        <translation>盲板已安装</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="299"/>
        <source>ventilation running before entry</source>
        <translation>进入前通风已开启</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="300"/>
        <source>barrier and signs set</source>
        <translation>警戒区及标识已设置</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="301"/>
        <source>the defect found</source>
        <translation>发现的缺陷</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="302"/>
        <source>larger than the size cap</source>
        <translation>超过大小上限</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="303"/>
        <source>not in the file store</source>
        <translation>文件库中没有该文件</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="304"/>
        <source>the file store could not be reached</source>
        <translation>无法连接文件库</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="305"/>
        <source>submission</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="306"/>
        <source>approval</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="307"/>
        <source>work starts</source>
        <translation>开工</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="308"/>
        <source>a job safety analysis (JSA)</source>
        <translation>工作危害分析（JSA）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="309"/>
        <source>energy isolation (LOTO)</source>
        <translation>能量隔离（上锁挂牌）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="310"/>
        <source>a passing gas test</source>
        <translation>合格的气体检测</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="311"/>
        <source>every special-work permit rests on a job safety analysis</source>
        <translation>每张特殊作业票都以工作危害分析为基础</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="314"/>
        <source>the equipment must be isolated from energy and process media (LOTO)</source>
        <translation>设备须与能量和工艺介质隔离（上锁挂牌）</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="317"/>
        <source>the atmosphere must be analysed before approval</source>
        <translation>审批前须进行气体分析</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="318"/>
        <source>submitted</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="319"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="320"/>
        <source>active</source>
        <translation>作业中</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="321"/>
        <source>suspended</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="322"/>
        <source>rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="323"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="324"/>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../models/rules/finding_texts.py" line="325"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="40"/>
        <source>{trade} ({english})</source>
        <translation>{trade}</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="41"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../views/alarm_message_words.py" line="45"/>
        <location filename="../../views/finding_words.py" line="42"/>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>GradeCause</name>
    <message>
        <location filename="../../views/finding_words.py" line="47"/>
        <source>night work ({span})</source>
        <translation>夜间作业（{span}）</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="48"/>
        <source>holiday {days}</source>
        <translation>节假日 {days}</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="49"/>
        <source>rest day {days}</source>
        <translation>休息日 {days}</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="52"/>
        <source>wind {v} m/s (at least {limit} m/s, Beaufort 5)</source>
        <translation>风速 {v} m/s（不低于 {limit} m/s，即五级风）</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="56"/>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="57"/>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="58"/>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="59"/>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="60"/>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="61"/>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <location filename="../../views/finding_words.py" line="62"/>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
</context>
<context>
    <name>HandoverView</name>
    <message>
        <location filename="../../views/handover_view.py" line="270"/>
        <source>All sites</source>
        <translation>全部厂区</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="272"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="273"/>
        <source>Shift from</source>
        <translation>班次自</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="274"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="275"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="276"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="277"/>
        <source>Notes for the incoming shift</source>
        <translation>给接班的备注</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="281"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="282"/>
        <source>Sign…</source>
        <translation>签字…</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="283"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="284"/>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="297"/>
        <source>Nothing in this shift: no alarms, no stop or resume commands, no permit changes, no near misses.</source>
        <translation>本班次无事件：无报警、无停工或复工指令、无作业票变动、无未遂事件。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="300"/>
        <source>No preview yet: choose the shift and press Preview.</source>
        <translation>尚无预览：请选择班次并点击“预览”。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="350"/>
        <source>The shift must end after it starts.</source>
        <translation>班次结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="353"/>
        <source>Rendering the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="380"/>
        <source>1 alarm</source>
        <translation>1 条报警</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="380"/>
        <source>%1 alarms</source>
        <translation>%1 条报警</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="385"/>
        <source>1 permit live at handover</source>
        <translation>交接时在用作业票 1 张</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="386"/>
        <source>%1 permits live at handover</source>
        <translation>交接时在用作业票 %1 张</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="388"/>
        <source>%1, priority 1: %2, floods: %3</source>
        <translation>%1，其中一级 %2 条，报警泛滥 %3 次</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="392"/>
        <source>1 stop/resume command</source>
        <translation>停工/复工指令 1 条</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="392"/>
        <source>%1 stop/resume commands</source>
        <translation>停工/复工指令 %1 条</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="395"/>
        <source>gas excursions in 1 area</source>
        <translation>1 个区域气体超限</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="396"/>
        <source>gas excursions in %1 areas</source>
        <translation>%1 个区域气体超限</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="399"/>
        <source>1 certificate expiring</source>
        <translation>即将到期的操作证 1 个</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="399"/>
        <source>%1 certificates expiring</source>
        <translation>即将到期的操作证 %1 个</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="401"/>
        <source>audit head: %1</source>
        <translation>审计链头：%1</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="425"/>
        <source>Preview ready: 1 page.</source>
        <translation>预览就绪：1 页。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="425"/>
        <source>Preview ready: %1 pages.</source>
        <translation>预览就绪：%1 页。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="454"/>
        <source>Checking both signatures…</source>
        <translation>正在核验双方签字…</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="469"/>
        <source>Signed and stored as handover #%1 (sha256 %2).</source>
        <translation>已签字并存档为交接班 #%1（sha256 %2）。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="480"/>
        <source>Make a preview first (page images need pdftoppm).</source>
        <translation>请先生成预览（页面图像需要 pdftoppm）。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="486"/>
        <source>Printing is not available in this installation; export the PDF instead.</source>
        <translation>本安装不支持打印，请导出 PDF。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="501"/>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="521"/>
        <source>Export the handover as PDF</source>
        <translation>将交接班报告导出为 PDF</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="523"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="535"/>
        <source>Make a preview first.</source>
        <translation>请先生成预览。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="546"/>
        <source>Cannot write %1: %2; choose a folder you can write to.</source>
        <translation>无法写入 %1：%2；请选择可写的文件夹。</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="551"/>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
</context>
<context>
    <name>HeadcountView</name>
    <message>
        <location filename="../../views/headcount_view.py" line="136"/>
        <source>%1 inside</source>
        <translation>区域内 %1 人</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="139"/>
        <source>as of %1 (%2), by the field gate&apos;s allows, entries and exits</source>
        <translation>截至 %1（%2），依据门禁放行、进入与离开记录</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="147"/>
        <source>not on the register</source>
        <translation>不在人员登记表中</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="150"/>
        <location filename="../../views/headcount_view.py" line="183"/>
        <source>plant staff</source>
        <translation>本厂员工</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="172"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="173"/>
        <source>Worker ID</source>
        <translation>人员编号</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="174"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="175"/>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="176"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="177"/>
        <source>Inside since</source>
        <translation>进入时间</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="193"/>
        <source>The list was copied.</source>
        <translation>名单已复制。</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="219"/>
        <source>Printing is not available in this installation; export the CSV instead.</source>
        <translation>此安装不支持打印；请改为导出 CSV。</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="233"/>
        <source>The headcount was sent to the printer.</source>
        <translation>人员清点已发送到打印机。</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="236"/>
        <source>Export the headcount as CSV</source>
        <translation>将人员清点导出为 CSV</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="238"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="254"/>
        <source>Cannot write %1: %2; choose a folder you can write to.</source>
        <translation>无法写入 %1：%2；请选择可写的文件夹。</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="260"/>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="264"/>
        <source>Headcount</source>
        <translation>人员清点</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="265"/>
        <source>Headcount: %1</source>
        <translation>人员清点：%1</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="267"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="268"/>
        <source>Copy as text</source>
        <translation>复制为文本</translation>
    </message>
    <message>
        <location filename="../../views/headcount_view.py" line="269"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
</context>
<context>
    <name>HeatPanel</name>
    <message>
        <location filename="../../views/heat_panel.py" line="143"/>
        <source>Heat map not read: %1</source>
        <translation>热力图读取失败：%1</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="156"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="158"/>
        <source>%1 alarms</source>
        <translation>%1 条报警</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="159"/>
        <source>1 alarm</source>
        <translation>1 条报警</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="160"/>
        <source>%1: %2 h of high-risk work (%3 permits), %4 alarms raised</source>
        <translation>%1：高危作业 %2 小时（%3 张作业票），报警 %4 次</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="172"/>
        <source>&gt; %1 h</source>
        <translation>&gt; %1 小时</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="174"/>
        <source>%1–%2 h</source>
        <translation>%1–%2 小时</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="178"/>
        <source>No high-risk work and no alarms in this period.</source>
        <translation>此期间无高危作业、无报警。</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="182"/>
        <source>Busiest: %1, %2 h</source>
        <translation>作业最多：%1，%2 小时</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="186"/>
        <source>Heat map</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="187"/>
        <source>High-risk work-hours and alarms per area, for a day or a week</source>
        <translation>各区域高危作业工时与报警数（按日或按周）</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="188"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="189"/>
        <source>Week (Monday to Sunday)</source>
        <translation>周（周一至周日）</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="190"/>
        <source>Work-hours:</source>
        <translation>作业工时：</translation>
    </message>
    <message>
        <location filename="../../views/heat_panel.py" line="191"/>
        <source>No work</source>
        <translation>无作业</translation>
    </message>
</context>
<context>
    <name>Inspection</name>
    <message>
        <location filename="../../views/inspection_words.py" line="16"/>
        <source>in time</source>
        <translation>按时</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="17"/>
        <source>late</source>
        <translation>迟到</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="18"/>
        <source>missed</source>
        <translation>漏检</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="19"/>
        <source>to do</source>
        <translation>待检</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="22"/>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="23"/>
        <source>major</source>
        <translation>严重</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="24"/>
        <source>minor</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="27"/>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="28"/>
        <source>repaired, to verify</source>
        <translation>已维修，待验收</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="29"/>
        <source>closed (verified)</source>
        <translation>已关闭（已验收）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="32"/>
        <source>shift lead</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="33"/>
        <source>safety department</source>
        <translation>安全管理部门</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="34"/>
        <source>senior leader</source>
        <translation>主管领导</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="37"/>
        <source>%1 may not edit the inspection register: administrators and safety managers do</source>
        <translation>%1 无权修改巡检台账：由管理员和安全经理修改</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="40"/>
        <source>%1 may not do this</source>
        <translation>%1 无权执行此操作</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="41"/>
        <source>There is no work order %1.</source>
        <translation>没有工单 %1。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="42"/>
        <source>Work order %1 is closed already.</source>
        <translation>工单 %1 已关闭。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="43"/>
        <source>Work order %1 is not reported repaired yet: it is verified after the repair.</source>
        <translation>工单 %1 尚未报告维修：维修后才能验收。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="46"/>
        <source>%1 reported this repair: someone else verifies it.</source>
        <translation>此维修由 %1 报告：须由他人验收。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="49"/>
        <source>Write a note: what was done or checked.</source>
        <translation>请填写说明：做了什么或核查了什么。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="50"/>
        <source>The code %1 is not allowed: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, at most 64.</source>
        <translation>编码 %1 不合规：只能用字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;，最多 64 个。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="53"/>
        <source>The name must not be empty and at most %1 characters.</source>
        <translation>名称不能为空，最多 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="56"/>
        <source>A checklist has 1 to %1 questions, each at most 200 characters.</source>
        <translation>检查项须为 1 至 %1 条，每条最多 200 个字符。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="59"/>
        <source>A route needs 1 to %1 points, 1 to 24 rounds a day and 5 to 720 minutes a round.</source>
        <translation>路线须有 1 至 %1 个巡检点，每日 1 至 24 轮，每轮 5 至 720 分钟。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="62"/>
        <source>The month %1 is not YYYY-MM, or the count is not 1 to 200.</source>
        <translation>月份 %1 不是 YYYY-MM 格式，或点数不在 1 至 200 之间。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="65"/>
        <source>There is no area %1 in site %2.</source>
        <translation>厂区 %2 中没有区域 %1。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="66"/>
        <source>There is no equipment %1.</source>
        <translation>没有设备 %1。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="67"/>
        <source>There is no active user %1 to own the defects.</source>
        <translation>没有有效用户 %1 可负责缺陷。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="70"/>
        <source>The tag %1 is already on %2.</source>
        <translation>标签 %1 已用于 %2。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="94"/>
        <source>Not done: %1</source>
        <translation>未执行：%1</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="95"/>
        <source>Faster than walking</source>
        <translation>快于步行</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="96"/>
        <source>%1 → %2: %3 m in %4 s (%5 m/s)</source>
        <translation>%1 → %2：%4 秒走 %3 米（%5 米/秒）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="97"/>
        <source>Same answers every time</source>
        <translation>每次答案相同</translation>
    </message>
    <message>
        <location filename="../../views/inspection_words.py" line="98"/>
        <source>%1: the same readings %2 times running</source>
        <translation>%1：连续 %2 次读数完全相同</translation>
    </message>
</context>
<context>
    <name>InspectionRegisterView</name>
    <message>
        <location filename="../../views/inspection_register_view.py" line="205"/>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="206"/>
        <source>Routes</source>
        <translation>巡检路线</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="207"/>
        <source>Area defect owners</source>
        <translation>区域缺陷负责人</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="208"/>
        <source>Spot checks</source>
        <translation>随机抽检</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="214"/>
        <location filename="../../views/inspection_register_view.py" line="237"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="215"/>
        <location filename="../../views/inspection_register_view.py" line="237"/>
        <location filename="../../views/inspection_register_view.py" line="252"/>
        <source>Equipment name</source>
        <translation>设备名称</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="216"/>
        <location filename="../../views/inspection_register_view.py" line="227"/>
        <location filename="../../views/inspection_register_view.py" line="234"/>
        <location filename="../../views/inspection_register_view.py" line="237"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="217"/>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="218"/>
        <location filename="../../views/inspection_register_view.py" line="234"/>
        <source>Defect owner</source>
        <translation>缺陷负责人</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="219"/>
        <source>Questions</source>
        <translation>检查项数</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="220"/>
        <source>Place (m)</source>
        <translation>位置 (m)</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="225"/>
        <location filename="../../views/inspection_register_view.py" line="244"/>
        <source>Route</source>
        <translation>路线</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="226"/>
        <location filename="../../views/inspection_register_view.py" line="266"/>
        <source>Route name</source>
        <translation>路线名称</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="228"/>
        <location filename="../../views/inspection_register_view.py" line="269"/>
        <source>Rounds a day</source>
        <translation>每日巡检次数</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="229"/>
        <source>First round</source>
        <translation>首轮</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="230"/>
        <source>Points in order</source>
        <translation>巡检点（按顺序）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="234"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="243"/>
        <source>Equipment item</source>
        <translation>巡检设备</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="245"/>
        <source>Who owns an area&apos;s defects</source>
        <translation>区域缺陷负责人</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="246"/>
        <source>The month&apos;s random spot checks</source>
        <translation>本月随机抽检点</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="247"/>
        <source>Site code</source>
        <translation>厂区编码</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="247"/>
        <source>Area code</source>
        <translation>区域编码</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="251"/>
        <source>Equipment code</source>
        <translation>设备编码</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="255"/>
        <source>Tag code (NFC or QR)</source>
        <translation>标签编码（NFC 或二维码）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="256"/>
        <location filename="../../views/inspection_register_view.py" line="275"/>
        <source>Defect owner (user name)</source>
        <translation>缺陷负责人（用户名）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="257"/>
        <source>X on the plan (m)</source>
        <translation>平面图 X（米）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="258"/>
        <source>Y on the plan (m)</source>
        <translation>平面图 Y（米）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="259"/>
        <source>Checklist (a question a line)</source>
        <translation>检查项（每行一项）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="265"/>
        <source>Route code</source>
        <translation>路线编码</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="270"/>
        <source>First round at</source>
        <translation>首轮开始</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="271"/>
        <source>Minutes a round</source>
        <translation>每轮时限 (分钟)</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="272"/>
        <source>Points (equipment codes, in order)</source>
        <translation>巡检点（设备编码，按顺序）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="277"/>
        <source>Month (YYYY-MM)</source>
        <translation>月份 (YYYY-MM)</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="277"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="277"/>
        <source>Points to draw</source>
        <translation>抽取点数</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="280"/>
        <source>Save equipment</source>
        <translation>保存设备</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="281"/>
        <source>New item</source>
        <translation>新设备</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="282"/>
        <source>Save route</source>
        <translation>保存路线</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="283"/>
        <source>Save owner</source>
        <translation>保存负责人</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="284"/>
        <source>Show the month</source>
        <translation>查看该月</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="285"/>
        <source>Draw the month&apos;s points</source>
        <translation>抽取本月抽检点</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="290"/>
        <source>Nothing is drawn for this month yet.</source>
        <translation>本月尚未抽取抽检点。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="310"/>
        <source>(the area&apos;s)</source>
        <translation>（区域负责人）</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="421"/>
        <source>X and Y are numbers of metres on the site plan, or empty.</source>
        <translation>X、Y 为厂区平面图上的米数，或留空。</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="462"/>
        <source>Drawn</source>
        <translation>已抽取</translation>
    </message>
    <message>
        <location filename="../../views/inspection_register_view.py" line="470"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>Link</name>
    <message>
        <location filename="../../views/i18n.py" line="29"/>
        <source>CONNECTED</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="30"/>
        <source>CONNECTING</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="31"/>
        <source>DISCONNECTED</source>
        <translation>已断开</translation>
    </message>
</context>
<context>
    <name>LinkReason</name>
    <message>
        <location filename="../../views/i18n.py" line="39"/>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="40"/>
        <source>connecting to %1</source>
        <translation>正在连接 %1</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="41"/>
        <source>connected to %1 (new session)</source>
        <translation>已连接 %1（新会话）</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="42"/>
        <source>connected to %1 (session resumed)</source>
        <translation>已连接 %1（会话已恢复）</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="43"/>
        <source>connected to %1 (new session), reconnected</source>
        <translation>已重新连接 %1（新会话）</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="44"/>
        <source>connected to %1 (session resumed), reconnected</source>
        <translation>已重新连接 %1（会话已恢复）</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="45"/>
        <source>broker refused the connection: %1; retrying</source>
        <translation>消息代理拒绝连接：%1；正在重试</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="46"/>
        <source>cannot reach %1: %2; retrying</source>
        <translation>无法连接 %1：%2；正在重试</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="47"/>
        <source>%1 closed the connection before answering (wrong port? a plain port needs mqtt://); retrying</source>
        <translation>%1 未应答即关闭了连接（端口错误？明文端口须用 mqtt://）；正在重试</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="51"/>
        <source>%1 closed the connection before answering (wrong port? a TLS port needs mqtts://); retrying</source>
        <translation>%1 未应答即关闭了连接（端口错误？TLS 端口须用 mqtts://）；正在重试</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="55"/>
        <source>connection to %1 lost (%2); retrying</source>
        <translation>与 %1 的连接中断（%2）；正在重试</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="56"/>
        <source>connected to %1, subscribing</source>
        <translation>已连接 %1，正在订阅</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="57"/>
        <source>connected to %1, but the broker refused the subscription to %2</source>
        <translation>已连接 %1，但消息代理拒绝了对 %2 的订阅</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="60"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="61"/>
        <source>field link process starting</source>
        <translation>现场链路进程正在启动</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="62"/>
        <source>field link process could not start: %1; retrying</source>
        <translation>现场链路进程无法启动：%1；正在重试</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="63"/>
        <source>field link process ended; restarting</source>
        <translation>现场链路进程已结束；正在重启</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="64"/>
        <source>field link process ended (exit code %1); restarting</source>
        <translation>现场链路进程已结束（退出码 %1）；正在重启</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="65"/>
        <source>field link process sent what the window cannot read; restarting</source>
        <translation>现场链路进程发来窗口无法读取的消息；正在重启</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="68"/>
        <source>field link process silent for %1 s; restarting</source>
        <translation>现场链路进程已 %1 秒无消息；正在重启</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <location filename="../../views/login.py" line="105"/>
        <source>High-risk operations cockpit</source>
        <translation>高危作业驾驶舱</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="107"/>
        <location filename="../../views/login.py" line="111"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="108"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="109"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="110"/>
        <source>Demo users (password: demo). Click one to fill it in.</source>
        <translation>演示用户（密码：demo），点击即可填入。</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="111"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="111"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="127"/>
        <source>Enter a user name and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="132"/>
        <source>Unknown user or wrong password.</source>
        <translation>用户不存在或密码错误。</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <location filename="../../widgets/map_legend.py" line="22"/>
        <source>Area risk</source>
        <extracomment>(group title, [(swatch kind, argument, text)]) in the order shown.</extracomment>
        <translation>区域风险</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="24"/>
        <source>Major</source>
        <translation>重大</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="25"/>
        <source>High</source>
        <translation>较大</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="26"/>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="27"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="31"/>
        <source>Area state</source>
        <translation>区域状态</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="33"/>
        <source>Alarm, priority 1 (blinks)</source>
        <translation>报警，1 级（闪烁）</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="34"/>
        <source>Alarm, priority 2</source>
        <translation>报警，2 级</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="35"/>
        <source>Alarm, priority 3-4</source>
        <translation>报警，3–4 级</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="36"/>
        <source>Work stopped</source>
        <translation>已停工</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="40"/>
        <source>Gas detectors</source>
        <translation>气体检测仪</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="42"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="43"/>
        <source>In alarm</source>
        <translation>报警中</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="44"/>
        <source>No recent value (STALE)</source>
        <translation>无最新数值（数据过期）</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="45"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="46"/>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="50"/>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="52"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="53"/>
        <source>Worker in alarm (man-down, SOS)</source>
        <translation>人员报警（倒地、求救）</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="54"/>
        <source>Who is inside (count at the gate)</source>
        <translation>区域内人数（门禁计数）</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="58"/>
        <source>Inspection</source>
        <translation>巡检</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="60"/>
        <source>Open defect (its severity&apos;s colour)</source>
        <translation>未关闭缺陷（按严重程度着色）</translation>
    </message>
    <message>
        <location filename="../../widgets/map_legend.py" line="61"/>
        <source>Missed or suspicious today</source>
        <translation>今日漏检或可疑</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../views/map_view.py" line="169"/>
        <source>Open defect work orders: %1</source>
        <translation>未关闭的缺陷工单：%1</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="171"/>
        <source>Missed on today&apos;s rounds: %1</source>
        <translation>今日巡检漏检：%1 次</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="173"/>
        <source>Suspicious scans today: %1</source>
        <translation>今日可疑扫码：%1 次</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="296"/>
        <source>%1 inside</source>
        <translation>区域内 %1 人</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="584"/>
        <source>No area of this site is drawn on the plan yet: administrators and safety managers draw them on the Site plan tab</source>
        <translation>本厂区尚未在平面图上绘制任何区域：请管理员或安全经理在“厂区平面图”页绘制</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="589"/>
        <source>Click an area on the plan</source>
        <translation>请在平面图上点击一个区域</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="389"/>
        <source>Headcount (%1)…</source>
        <translation>人员清点（%1）…</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="403"/>
        <source>now %1 (live alarms, high-risk permits)</source>
        <translation>当前 %1（实时报警、高危作业）</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="407"/>
        <source>No guidance recorded.</source>
        <translation>无处置指引。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="416"/>
        <source>Nobody on an active permit.</source>
        <translation>无人在进行中的作业票上。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="419"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="430"/>
        <source>No active permits.</source>
        <translation>无进行中的作业票。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="432"/>
        <source>Work STOPPED in this area</source>
        <translation>本区域已停工</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="432"/>
        <source>Work state: normal</source>
        <translation>作业状态：正常</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="448"/>
        <source>At the gate: %1 inside</source>
        <translation>门禁计数：区域内 %1 人</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="494"/>
        <source>No emergency contacts configured for this area.</source>
        <translation>该区域未配置应急联系人。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="512"/>
        <source>stopped from the site map by %1</source>
        <translation>由 %1 在厂区地图上停工</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="515"/>
        <source>Stop-work command sent to %1 / %2 …</source>
        <translation>停工指令已发送至 %1 / %2 …</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="525"/>
        <source>Work in this area was already stopped for this cause.</source>
        <translation>本区域已因同一原因停工。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="528"/>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="529"/>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="530"/>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="531"/>
        <source>executed</source>
        <translation>已执行</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="532"/>
        <source>REJECTED</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="533"/>
        <source>NOT EXECUTED IN TIME</source>
        <translation>未按时执行</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="536"/>
        <source>Stop-work command %1: %2</source>
        <translation>停工指令 %1：%2</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="547"/>
        <source>Give a reason to resume work.</source>
        <translation>请填写复工理由。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="556"/>
        <source>Resume-work command %1 sent.</source>
        <translation>复工指令 %1 已发送。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="560"/>
        <source>No sites configured: add sites and areas to the database.</source>
        <translation>尚未配置厂区：请在数据库中添加厂区和区域。</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="561"/>
        <source>Emergency contacts</source>
        <translation>应急联系人</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="562"/>
        <source>Guidance</source>
        <translation>处置指引</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="563"/>
        <source>Who is inside</source>
        <translation>区域内人员</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="564"/>
        <source>Active permits</source>
        <translation>进行中的作业票</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="565"/>
        <source>Stop work in this area</source>
        <translation>本区域停工</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="566"/>
        <source>Resume work…</source>
        <translation>复工…</translation>
    </message>
    <message>
        <location filename="../../views/map_view.py" line="567"/>
        <source>Reason for resuming (required)</source>
        <translation>复工理由（必填）</translation>
    </message>
</context>
<context>
    <name>MiniTrend</name>
    <message>
        <location filename="../../widgets/mini_trend.py" line="74"/>
        <source>Recent trend</source>
        <extracomment>Limit names in the order they are checked for the current value&apos;s state (worst first).</extracomment>
        <translation>近期趋势</translation>
    </message>
    <message>
        <location filename="../../widgets/mini_trend.py" line="144"/>
        <source>STALE</source>
        <translation>数据过期</translation>
    </message>
    <message>
        <location filename="../../widgets/mini_trend.py" line="148"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>MonthlyReportView</name>
    <message>
        <location filename="../../views/monthly_report_view.py" line="139"/>
        <source>Reading %1 and the three months before it…</source>
        <translation>正在读取 %1 及之前三个月的数据…</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="151"/>
        <source>%1: %2 permits submitted, %3 approved.</source>
        <translation>%1：申请作业票 %2 张，批准 %3 张。</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="162"/>
        <source>The report could not be made: %1</source>
        <translation>无法生成报告：%1</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="170"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="170"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="172"/>
        <source>Save the monthly report</source>
        <translation>保存月度报告</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="185"/>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="190"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="219"/>
        <source>Monthly special-work analysis</source>
        <translation>特殊作业月度分析</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="220"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="221"/>
        <source>File language</source>
        <translation>文件语言</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="222"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="223"/>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="224"/>
        <source>Save xlsx…</source>
        <translation>保存 xlsx…</translation>
    </message>
    <message>
        <location filename="../../views/monthly_report_view.py" line="226"/>
        <source>Choose a month and press Preview.</source>
        <translation>选择月份后点击“预览”。</translation>
    </message>
</context>
<context>
    <name>NearMiss</name>
    <message>
        <location filename="../../views/near_miss_words.py" line="16"/>
        <source>Gas release</source>
        <translation>气体泄漏</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="17"/>
        <source>Fire or ignition</source>
        <translation>着火或引燃</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="18"/>
        <source>Fall from height</source>
        <translation>高处坠落</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="19"/>
        <source>Dropped object</source>
        <translation>物体坠落</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="20"/>
        <source>Confined-space atmosphere</source>
        <translation>受限空间气体环境</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="21"/>
        <source>Electrical</source>
        <translation>触电或电气</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="22"/>
        <source>Struck by</source>
        <translation>物体打击或碰撞</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="23"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="26"/>
        <source>Control room</source>
        <translation>控制室</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="27"/>
        <source>From the field</source>
        <translation>现场上报</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="30"/>
        <source>Choose a category.</source>
        <translation>请选择类别。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="31"/>
        <source>Describe what happened (at most 2,000 characters).</source>
        <translation>请描述经过（最多 2000 字）。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="34"/>
        <source>The time lies in the future.</source>
        <translation>发生时间晚于当前时间。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="35"/>
        <source>There is no site %1.</source>
        <translation>没有厂区 %1。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="36"/>
        <source>There is no area %1 in this site.</source>
        <translation>该厂区没有区域 %1。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="37"/>
        <source>There is no permit %1.</source>
        <translation>没有作业票 %1。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="38"/>
        <source>%1 is not a month.</source>
        <translation>%1 不是有效月份。</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_words.py" line="46"/>
        <source>Not recorded: %1</source>
        <translation>未记录：%1</translation>
    </message>
</context>
<context>
    <name>NearMissDialog</name>
    <message>
        <location filename="../../views/near_miss_view.py" line="173"/>
        <source>— no particular area —</source>
        <translation>— 不限区域 —</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="228"/>
        <source>Record a near miss</source>
        <translation>记录未遂事件</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="230"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="231"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="232"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="233"/>
        <source>From alarm</source>
        <translation>来自报警</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="234"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="235"/>
        <source>Occurred at</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="236"/>
        <source>What happened</source>
        <translation>经过</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="242"/>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="246"/>
        <source>empty: not in a permit&apos;s work</source>
        <translation>留空：不属于作业票作业</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="247"/>
        <source>What nearly happened, and what stopped it</source>
        <translation>险些发生了什么，又是什么阻止了它</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="249"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="250"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="251"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>NearMissesView</name>
    <message>
        <location filename="../../views/near_miss_view.py" line="431"/>
        <source>%1 near misses in %2 (plant time, %3)</source>
        <translation>%2 共 %1 起未遂事件（厂区时间，%3）</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="437"/>
        <source>Near misses</source>
        <translation>未遂事件</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="438"/>
        <source>Record…</source>
        <translation>记录…</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="439"/>
        <source>All sites</source>
        <translation>全部厂区</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="442"/>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="446"/>
        <source>From anywhere</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="449"/>
        <source>Occurred</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="450"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="451"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="452"/>
        <source>Recorded in</source>
        <translation>记录来源</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="453"/>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="454"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="455"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="456"/>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../views/near_miss_view.py" line="457"/>
        <source>What happened</source>
        <translation>经过</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <location filename="../../views/overview_view.py" line="305"/>
        <source>No unacknowledged alarms</source>
        <translation>无未确认报警</translation>
    </message>
    <message>
        <location filename="../../views/overview_view.py" line="309"/>
        <source>Newest unacknowledged: %1  P%2  %3 / %4  %5</source>
        <translation>最新未确认：%1  %2 级  %3 / %4  %5</translation>
    </message>
    <message>
        <location filename="../../views/overview_view.py" line="322"/>
        <source>Alarm flood: %1 alarms in %2 min. Handle priority 1 first; repeats are grouped.</source>
        <translation>报警泛滥：%2 分钟内 %1 条报警。请先处理一级报警；重复报警已合并。</translation>
    </message>
    <message>
        <location filename="../../views/overview_view.py" line="329"/>
        <source>No sites configured: add sites and areas to the database.</source>
        <translation>尚未配置厂区：请在数据库中添加厂区和区域。</translation>
    </message>
</context>
<context>
    <name>PagePreview</name>
    <message>
        <location filename="../../widgets/page_preview.py" line="107"/>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation>放大（Ctrl+滚轮）</translation>
    </message>
    <message>
        <location filename="../../widgets/page_preview.py" line="108"/>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation>缩小（Ctrl+滚轮）</translation>
    </message>
    <message>
        <location filename="../../widgets/page_preview.py" line="109"/>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <location filename="../../widgets/page_preview.py" line="110"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../widgets/page_preview.py" line="111"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../widgets/page_preview.py" line="226"/>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
</context>
<context>
    <name>PeopleRegister</name>
    <message>
        <location filename="../../views/people_screen.py" line="32"/>
        <source>{actor} may not edit the people registers: administrators and safety managers do</source>
        <translation>{actor} 无权编辑人员名册：仅管理员和安全经理可以</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="35"/>
        <source>{field}: {value!r} not allowed (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;)</source>
        <translation>{field}：{value!r} 不允许（仅字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;）</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="38"/>
        <source>{field} must not be empty</source>
        <translation>{field}不能为空</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="39"/>
        <source>{field} is too long: at most {max} characters</source>
        <translation>{field}过长：最多 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="42"/>
        <source>{field}: {value!r} is not a date (2026-03-01)</source>
        <translation>{field}：{value!r} 不是日期（格式 2026-03-01）</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="45"/>
        <source>{field} {end} is before the start {start}</source>
        <translation>{field} {end} 早于开始日期 {start}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="48"/>
        <source>{field} {value} is in the future</source>
        <translation>{field} {value} 晚于当前时间</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="49"/>
        <source>{value!r} is not a phone number</source>
        <translation>{value!r} 不是电话号码</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="50"/>
        <source>Points must be a whole number from 0 to {max}</source>
        <translation>记分须为 0 到 {max} 的整数</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="53"/>
        <source>The score must be a number from 0 to 100</source>
        <translation>成绩须为 0 到 100 的数字</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="54"/>
        <source>The grade must be A, B, C or D</source>
        <translation>等级须为 A、B、C 或 D</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="55"/>
        <source>Give a reason first</source>
        <translation>请先填写理由</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="56"/>
        <source>There is no contractor {code}</source>
        <translation>没有承包商 {code}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="57"/>
        <source>There is no worker {worker}</source>
        <translation>没有人员 {worker}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="58"/>
        <source>That record is gone: refresh</source>
        <translation>该记录已不存在：请刷新</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="59"/>
        <source>Certificate {number} already belongs to worker {other}</source>
        <translation>证书 {number} 已属于人员 {other}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="62"/>
        <source>Name a worker or a contractor</source>
        <translation>请指定人员或承包商</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="63"/>
        <source>Worker {worker} works for {actual}, not for {given}</source>
        <translation>人员 {worker} 属于 {actual}，不属于 {given}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="68"/>
        <source>Contractor code</source>
        <translation>承包商编码</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="69"/>
        <source>Worker ID</source>
        <translation>人员编号</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="70"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="71"/>
        <source>Qualification</source>
        <translation>资质</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="72"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="73"/>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="74"/>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="75"/>
        <source>Issuer</source>
        <translation>发证机关</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="76"/>
        <source>Certificate number</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="77"/>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="78"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="79"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="80"/>
        <source>Valid from</source>
        <translation>有效期自</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="81"/>
        <source>Valid to</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="82"/>
        <source>Review due</source>
        <translation>复审到期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="83"/>
        <source>Training date</source>
        <translation>培训日期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="84"/>
        <source>Exam date</source>
        <translation>考试日期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="85"/>
        <source>Violation date</source>
        <translation>违章日期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="88"/>
        <source>blacklisted</source>
        <translation>已列入黑名单</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="89"/>
        <source>violation points</source>
        <translation>违章记分</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="90"/>
        <source>no qualification on record</source>
        <translation>无资质记录</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="91"/>
        <source>a qualification has lapsed</source>
        <translation>资质已过期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="92"/>
        <source>overridden</source>
        <translation>人工调整</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="117"/>
        <source>Blacklisted: D, whatever else holds</source>
        <translation>列入黑名单：D 级，不论其他情况</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="121"/>
        <source>{n} or more violation points in {days} days: {g}</source>
        <translation>{days} 天内违章记分 {n} 分及以上：{g}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="127"/>
        <source>No violation points in {days} days: {g}</source>
        <translation>{days} 天内无违章记分：{g}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="133"/>
        <source>{a} to {b} points: {g}</source>
        <translation>{a} 至 {b} 分：{g}</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="138"/>
        <source>No qualification on record, or one lapsed: {g} at best</source>
        <translation>无资质记录或资质过期：最高 {g} 级</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="143"/>
        <source>An override needs a reason; a violation that takes the rule below it ends it</source>
        <translation>人工调整等级须填写理由；新的违章使规则等级低于调整等级时，调整自动失效</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="153"/>
        <source>REVIEW OVERDUE {n} days</source>
        <translation>复审已逾期 {n} 天</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="155"/>
        <source>review due in {n} days</source>
        <translation>{n} 天后复审到期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="157"/>
        <source>no end date</source>
        <translation>无截止日期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="159"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="160"/>
        <source>expires in {n} days</source>
        <translation>{n} 天后到期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="161"/>
        <source>EXPIRES in {n} days</source>
        <translation>{n} 天后到期</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="162"/>
        <source>EXPIRED {n} days ago</source>
        <translation>已过期 {n} 天</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="181"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../views/people_screen.py" line="244"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>PermitDetailView</name>
    <message>
        <location filename="../../views/permit_words.py" line="15"/>
        <source>hot work</source>
        <translation>动火作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="16"/>
        <source>confined space</source>
        <translation>受限空间作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="17"/>
        <source>blinding</source>
        <translation>盲板抽堵作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="18"/>
        <source>work at height</source>
        <translation>高处作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="19"/>
        <source>lifting</source>
        <translation>吊装作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="20"/>
        <source>temporary power</source>
        <translation>临时用电作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="21"/>
        <source>excavation</source>
        <translation>动土作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="22"/>
        <source>road closure</source>
        <translation>断路作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="25"/>
        <source>special grade</source>
        <translation>特级</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="26"/>
        <source>grade 1</source>
        <translation>一级</translation>
    </message>
    <message>
        <location filename="../../views/permit_words.py" line="27"/>
        <source>grade 2</source>
        <translation>二级</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="44"/>
        <source>Job safety analysis (JSA)</source>
        <translation>工作危害分析（JSA）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="45"/>
        <source>Energy isolation (LOTO)</source>
        <translation>能量隔离（上锁挂牌）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="46"/>
        <source>Gas test</source>
        <translation>气体检测</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="49"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="50"/>
        <source>expiring in {n} days</source>
        <translation>{n} 天后到期</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="51"/>
        <source>EXPIRED, blocks</source>
        <translation>已过期，不能批准</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="52"/>
        <source>NO CERTIFICATE, blocks</source>
        <translation>无证书，不能批准</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="53"/>
        <source>not required</source>
        <translation>无需</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="73"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="74"/>
        <source>BLOCKS</source>
        <translation>阻止</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="75"/>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="145"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="157"/>
        <source>Print permit (PDF)…</source>
        <translation>打印作业票（PDF）…</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="159"/>
        <source>Select a permit</source>
        <translation>请选择作业票</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="234"/>
        <source>  · URGENT</source>
        <translation>  · 紧急</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="237"/>
        <source>Status: {status} · applicant {applicant} · supervisor {sup} {sup_name}</source>
        <translation>状态：{status} · 申请人 {applicant} · 监护人 {sup} {sup_name}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="245"/>
        <source>Area: {name}, {site}, {risk}</source>
        <translation>区域：{site} {name}，{risk}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="250"/>
        <source>Job: {d}</source>
        <translation>作业内容：{d}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="253"/>
        <source>Coordinator: {c}</source>
        <translation>协调人：{c}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="256"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="256"/>
        <source>left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="258"/>
        <source>Approval deadline: {t} ({span} {state})</source>
        <translation>审批时限：{t}（{span} {state}）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="267"/>
        <source>No wind reading: the grade could not be checked against the wind</source>
        <translation>无风速读数：无法按风力核定动火等级</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="274"/>
        <source>Wind {v} m/s (Beaufort {f}): hot work is graded up one level</source>
        <translation>风速 {v} m/s（{f} 级）：动火作业升一级管理</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="277"/>
        <source>Wind {v} m/s (Beaufort {f})</source>
        <translation>风速 {v} m/s（{f} 级）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="282"/>
        <source>Grade and validity</source>
        <translation>级别与有效期</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="287"/>
        <source>Applied as {base}, raised to {grade}: {why}</source>
        <translation>申请为 {base}，升级为 {grade}：{why}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="290"/>
        <location filename="../../views/permit_detail_view.py" line="294"/>
        <location filename="../../views/permit_detail_view.py" line="295"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="298"/>
        <source>Grade: {g}{extra}</source>
        <translation>级别：{g}{extra}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="302"/>
        <source>{start} → {end} ({zone})</source>
        <translation>{start} → {end}（{zone}）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="307"/>
        <source>{w}: {span}; GB sets no maximum</source>
        <translation>{w}：{span}；国标未规定上限</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="312"/>
        <source>{w}: {span}, OVER the GB maximum of {max}</source>
        <translation>{w}：{span}，超过国标上限 {max}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="319"/>
        <source>{w}: {span} of at most {max}</source>
        <translation>{w}：{span}（上限 {max}）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="327"/>
        <source>Prerequisites</source>
        <translation>前置条件</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="339"/>
        <source>Latest gas test {when}, {age} old (rule: at most {max}), {result} by {by}: {readings}</source>
        <translation>最近气体检测 {when}，距今 {age}（规定不超过 {max}），{result}，检测人 {by}：{readings}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="344"/>
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="344"/>
        <source>FAILED</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="351"/>
        <source>Workers and certificates</source>
        <translation>作业人员与证书</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="360"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="360"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="360"/>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="360"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="360"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="365"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="368"/>
        <source>Own staff (no contractor)</source>
        <translation>本厂员工（非承包商）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="370"/>
        <source>{name} ({code}), grade {grade}; {n} violation(s), {pts} points</source>
        <translation>{name}（{code}），等级 {grade}；违章 {n} 次，{pts} 分</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="375"/>
        <source>{t}; BLACKLISTED: {why}</source>
        <translation>{t}；黑名单：{why}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="378"/>
        <source>{t}; qualification expired ({d})</source>
        <translation>{t}；资质已过期（{d}）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="383"/>
        <source>Other permits at the same time</source>
        <translation>同时段的其他作业票</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="385"/>
        <source>No conflict with other permits</source>
        <translation>与其他作业票无冲突</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="392"/>
        <source>Approval matrix</source>
        <translation>审批矩阵</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="395"/>
        <source>Must sign: {need}</source>
        <translation>须签字：{need}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="397"/>
        <source> (INVALID: the permit changed after signing)</source>
        <translation>（失效：签字后作业票已修改）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="400"/>
        <source>{decision} by {name} ({signer}, {level}) at {when}{reason}{valid}</source>
        <translation>{decision}：{name}（{signer}，{level}）于 {when}{reason}{valid}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="411"/>
        <source>Still to sign: {missing}</source>
        <translation>尚待签字：{missing}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="413"/>
        <source>Approved on the green channel: next-day review pending</source>
        <translation>经绿色通道批准：待次日复核</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="421"/>
        <source> on the green channel: {why}</source>
        <translation> 经绿色通道：{why}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="422"/>
        <source>: {why}</source>
        <translation>：{why}</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="427"/>
        <source>1 warning</source>
        <translation>1 项警告</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="427"/>
        <source>{n} warnings</source>
        <translation>{n} 项警告</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="428"/>
        <source>All checks ({b} blocking, {warnings})</source>
        <translation>全部检查（{b} 项阻止，{warnings}）</translation>
    </message>
    <message>
        <location filename="../../views/permit_detail_view.py" line="431"/>
        <source>Every GB 30871 check passed</source>
        <translation>GB 30871 各项检查均通过</translation>
    </message>
</context>
<context>
    <name>PermitEvidence</name>
    <message>
        <location filename="../../views/evidence_section.py" line="36"/>
        <source>checked: unaltered</source>
        <translation>已核验：未改动</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="38"/>
        <source>PHOTO ALTERED</source>
        <translation>照片被改动</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="39"/>
        <source>over the size cap: not checked</source>
        <translation>超过大小上限：未核验</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="40"/>
        <source>not in the file store</source>
        <translation>文件库中没有该文件</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="41"/>
        <source>file store unreachable: not checked</source>
        <translation>文件库无法连接：未核验</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="93"/>
        <source>no step named</source>
        <translation>未注明步骤</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="127"/>
        <source>Photo evidence</source>
        <translation>照片证据</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="130"/>
        <source>Fetching and checking the key-step photos…</source>
        <translation>正在获取并核验关键步骤照片…</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="137"/>
        <source>Photo evidence ({n} photos, {ok} unaltered, {bad} altered)</source>
        <translation>照片证据（共 {n} 张，{ok} 张未改动，{bad} 张被改动）</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="144"/>
        <source>The photo file store could not be reached: {n} photo(s) not checked</source>
        <translation>无法连接照片文件库：{n} 张照片未核验</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="153"/>
        <source>No key-step photos, and none required for this permit type</source>
        <translation>无关键步骤照片，该作业类型也无此要求</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="161"/>
        <source>{step} · {when} · by {by} · {check}</source>
        <translation>{step} · {when} · {by} 拍摄 · {check}</translation>
    </message>
    <message>
        <location filename="../../views/evidence_section.py" line="168"/>
        <source> (not an image)</source>
        <translation>（不是图片）</translation>
    </message>
</context>
<context>
    <name>PermitReason</name>
    <message>
        <location filename="../../views/permit_reasons.py" line="17"/>
        <source>the last gas test of permit %1 failed; a passing gas test is needed before work resumes</source>
        <translation>作业票 %1 最近一次气体检测不合格；须检测合格后方可恢复作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="22"/>
        <source>a reason is required to resume work</source>
        <translation>恢复作业须填写原因</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="23"/>
        <source>work in %1/%2 is not stopped</source>
        <translation>%1/%2 的作业未处于停止状态</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="24"/>
        <source>%1 is still in %2 alarm</source>
        <translation>%1 仍处于 %2 报警</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="25"/>
        <source>records of the stop still wait for the database: resume once they are written</source>
        <translation>停止作业的记录仍在等待写入数据库：写入后再恢复作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="28"/>
        <source>the database cannot be reached: resume once it is back</source>
        <translation>数据库无法连接：待数据库恢复后再恢复作业</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="31"/>
        <source>a new stop-work came while the resume was being recorded: it stands</source>
        <translation>记录恢复作业期间又收到新的停止作业：该停止作业继续有效</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="34"/>
        <source>permit %1 has expired</source>
        <translation>作业票 %1 已过期</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="35"/>
        <source>permit %1 needs a gas test taken after the stop</source>
        <translation>作业票 %1 需要在停工之后重新进行气体检测</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="38"/>
        <source>permit %1: the last gas test failed</source>
        <translation>作业票 %1：最近一次气体检测不合格</translation>
    </message>
    <message>
        <location filename="../../views/permit_reasons.py" line="39"/>
        <source>permit %1: the last gas test is older than 30 min</source>
        <translation>作业票 %1：最近一次气体检测已超过 30 分钟</translation>
    </message>
</context>
<context>
    <name>PermitStatus</name>
    <message>
        <location filename="../../views/i18n.py" line="95"/>
        <source>submitted</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="96"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="97"/>
        <source>active</source>
        <translation>作业中</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="98"/>
        <source>SUSPENDED</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="99"/>
        <source>rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="100"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="101"/>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="102"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
</context>
<context>
    <name>PlantRegisterView</name>
    <message>
        <location filename="../../views/plant_register_view.py" line="51"/>
        <source>{actor} may not edit the registers: administrators and safety managers do</source>
        <translation>{actor} 无权编辑名册：仅管理员和安全经理可以</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="54"/>
        <source>Code {value!r} not allowed: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</source>
        <translation>编码 {value!r} 不可用：只能用字母、数字、“.”、“_”、“-”</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="57"/>
        <source>The name must not be empty, at most {max} characters</source>
        <translation>名称不能为空，最多 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="60"/>
        <source>Unknown time zone {zone!r}</source>
        <translation>未知时区 {zone!r}</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="61"/>
        <source>The guidance is too long: at most {max} characters</source>
        <translation>指引太长：最多 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="64"/>
        <source>There is no site {site}</source>
        <translation>没有厂区 {site}</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="65"/>
        <source>There is no area {area} in site {site}</source>
        <translation>厂区 {site} 中没有区域 {area}</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="68"/>
        <source>{phone!r} of {name} is not a phone number</source>
        <translation>{name} 的 {phone!r} 不是电话号码</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="71"/>
        <source>At most {max} contacts per area</source>
        <translation>每个区域最多 {max} 个联系人</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="167"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="167"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="167"/>
        <location filename="../../views/plant_register_view.py" line="175"/>
        <source>Area name</source>
        <translation>区域名称</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="167"/>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="169"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="169"/>
        <source>Duty</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="169"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="170"/>
        <source>Site and area</source>
        <translation>厂区与区域</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="172"/>
        <source>Site code</source>
        <translation>厂区编码</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="173"/>
        <source>Site name</source>
        <translation>厂区名称</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="174"/>
        <source>Area code</source>
        <translation>区域编码</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="176"/>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="177"/>
        <source>Fire/explosion hazard area</source>
        <translation>火灾爆炸危险区域</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="178"/>
        <source>Guidance</source>
        <translation>处置指引</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="179"/>
        <source>Emergency contacts</source>
        <translation>应急联系人</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="183"/>
        <source>Save site</source>
        <translation>保存厂区</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="184"/>
        <source>Save area</source>
        <translation>保存区域</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="185"/>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="186"/>
        <source>Save contacts</source>
        <translation>保存联系人</translation>
    </message>
    <message>
        <location filename="../../views/plant_register_view.py" line="304"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>PopupController</name>
    <message>
        <location filename="../../views/popup_controller.py" line="155"/>
        <source>automatic stop</source>
        <translation>自动停工</translation>
    </message>
    <message>
        <location filename="../../views/popup_controller.py" line="155"/>
        <source>by %1</source>
        <translation>由 %1</translation>
    </message>
    <message>
        <location filename="../../views/popup_controller.py" line="264"/>
        <source>Your role may not stop work.</source>
        <translation>您的角色无权停工。</translation>
    </message>
    <message>
        <location filename="../../views/popup_controller.py" line="266"/>
        <source>Your role may not see the headcount.</source>
        <translation>您的角色无权查看人员清点。</translation>
    </message>
    <message>
        <location filename="../../views/popup_controller.py" line="358"/>
        <source>work in this area was already stopped for this alarm</source>
        <translation>本区域已因此报警停工</translation>
    </message>
</context>
<context>
    <name>PriorityBadge</name>
    <message>
        <location filename="../../widgets/badges.py" line="19"/>
        <source>Priority 1 – critical</source>
        <translation>一级 – 紧急</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="20"/>
        <source>Priority 2 – high</source>
        <translation>二级 – 高</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="21"/>
        <source>Priority 3 – medium</source>
        <translation>三级 – 中</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="22"/>
        <source>Priority 4 – low</source>
        <translation>四级 – 低</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="26"/>
        <source>No priority</source>
        <translation>无优先级</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="113"/>
        <source>No alarm</source>
        <translation>无报警</translation>
    </message>
</context>
<context>
    <name>ReadOnly</name>
    <message>
        <location filename="../../views/read_only.py" line="14"/>
        <source>You can read this register; administrators and safety managers change it.</source>
        <translation>您可查阅本名册；修改由管理员和安全经理进行。</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="25"/>
        <source>stop work</source>
        <translation>停工</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="26"/>
        <source>acknowledge alarms</source>
        <translation>确认报警</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="27"/>
        <source>shelve alarms</source>
        <translation>搁置报警</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="28"/>
        <source>take alarms out of service</source>
        <translation>停用报警</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="29"/>
        <source>clear events</source>
        <translation>清除事件报警</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="30"/>
        <source>resume work</source>
        <translation>复工</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="31"/>
        <source>approve permits</source>
        <translation>审批作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="32"/>
        <source>reject permits</source>
        <translation>驳回作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="33"/>
        <source>suspend permits</source>
        <translation>暂停作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="34"/>
        <source>close permits</source>
        <translation>关闭作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="35"/>
        <source>sign the handover</source>
        <translation>签署交接班</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="40"/>
        <source>only the safety manager (and administrators) see the green-channel reviews</source>
        <translation>只有安全经理（及管理员）能查看绿色通道复核</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="43"/>
        <source>write a review note for the green-channel approval</source>
        <translation>请为绿色通道审批写复核意见</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="44"/>
        <source>only the safety manager reviews green-channel approvals</source>
        <translation>只有安全经理能复核绿色通道审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="47"/>
        <source>permit {permit_id} has no green-channel approval waiting for review</source>
        <translation>作业票 {permit_id} 没有待复核的绿色通道审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="50"/>
        <source>user &apos;{user}&apos; is unknown or disabled: log in with an active account</source>
        <translation>用户“{user}”不存在或已停用：请用有效账号登录</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="53"/>
        <source>the green channel needs a reason: say why the work cannot wait</source>
        <translation>绿色通道须填写理由：说明作业为何不能等待</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="56"/>
        <source>wrong password: re-enter your own password to sign</source>
        <translation>密码错误：请重新输入您本人的密码签字</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="57"/>
        <source>give a reason for rejecting the permit: the applicant needs to know what to fix</source>
        <translation>驳回作业票须填写理由：申请人需要知道要改正什么</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="60"/>
        <source>give a reason for sending back the permit: the applicant needs to know what to fix</source>
        <translation>退回作业票须填写理由：申请人需要知道要改正什么</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="63"/>
        <source>{user} ({role}) does not decide on permits</source>
        <translation>{user}（{role}）无权审批作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="64"/>
        <source>give a reason for suspending the permit</source>
        <translation>暂停作业票须填写理由</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="65"/>
        <source>only {roles} may set a permit {target}</source>
        <translation>只有{roles}能将作业票设为“{target}”</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="66"/>
        <source>permit &apos;{permit_id}&apos; does not exist: refresh the list</source>
        <translation>作业票“{permit_id}”不存在：请刷新列表</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="67"/>
        <source>the permit was changed on another console meanwhile: reload it and try again</source>
        <translation>作业票已在另一台操作台上被修改：请重新加载后再试</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="71"/>
        <source>{user} ({role}) may not {action}; allowed: {roles}</source>
        <translation>{user}（{role}）无权{action}；可执行者：{roles}</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="73"/>
        <source>the {role} role does not sign permits</source>
        <translation>{role}角色不签批作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="74"/>
        <source>{user} holds no approval level: ask the administrator</source>
        <translation>{user} 没有审批级别：请联系管理员</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="75"/>
        <source>this permit needs the {level}&apos;s signature; {user} signs at {own} level</source>
        <translation>本作业票需要{level}签字；{user} 的审批级别为{own}</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="78"/>
        <source>this permit needs the {level}&apos;s signature; {user} signs at {own} level (or use the green channel as shift lead)</source>
        <translation>本作业票需要{level}签字；{user} 的审批级别为{own}（或由值班长走绿色通道）</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="83"/>
        <source>the green channel is only for permits applied for as urgent</source>
        <translation>绿色通道仅用于按紧急申请的作业票</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="86"/>
        <source>only the shift lead approves on the green channel</source>
        <translation>只有值班长可走绿色通道审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="87"/>
        <source>special-grade hot work needs the senior leader&apos;s signature, even on the green channel</source>
        <translation>特级动火即使走绿色通道也须主管领导签字</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="90"/>
        <source>log in with an active account to approve</source>
        <translation>请用有效账号登录后审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="91"/>
        <source>the permit is {state}; only a submitted permit can be approved</source>
        <translation>作业票状态为{state}；只有已提交的作业票才能审批</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="95"/>
        <source>outgoing shift lead &apos;{user}&apos;: user name or password is wrong; enter them again</source>
        <translation>交班值班长“{user}”：用户名或密码错误，请重新输入</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="98"/>
        <source>incoming shift lead &apos;{user}&apos;: user name or password is wrong; enter them again</source>
        <translation>接班值班长“{user}”：用户名或密码错误，请重新输入</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="101"/>
        <source>outgoing shift lead &apos;{user}&apos; is a {role}; only a shift lead or an admin signs the handover</source>
        <translation>交班值班长“{user}”的角色是{role}；只有值班长或管理员可以签署交接班</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="105"/>
        <source>incoming shift lead &apos;{user}&apos; is a {role}; only a shift lead or an admin signs the handover</source>
        <translation>接班值班长“{user}”的角色是{role}；只有值班长或管理员可以签署交接班</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="109"/>
        <source>the outgoing and incoming shift leads must be two different people</source>
        <translation>交班与接班值班长必须是两个不同的人</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="112"/>
        <source>cannot approve: {first}; fix it and check again</source>
        <translation>不能批准：{first}；改正后再检查</translation>
    </message>
    <message>
        <location filename="../../models/rules/refusal_texts.py" line="113"/>
        <source>cannot approve: {first} (and {more} more); fix it and check again</source>
        <translation>不能批准：{first}（另有 {more} 项）；改正后再检查</translation>
    </message>
</context>
<context>
    <name>RegisterFiles</name>
    <message>
        <location filename="../../views/register_files.py" line="44"/>
        <source>{file} is not an xlsx or CSV file (save it from Excel as .xlsx or CSV UTF-8)</source>
        <translation>{file} 不是 xlsx 或 CSV 文件（请在 Excel 中另存为 .xlsx 或 CSV UTF-8）</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="47"/>
        <source>{file} has no header row</source>
        <translation>{file} 没有表头行</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="48"/>
        <source>{file} lacks the required column(s) {columns}</source>
        <translation>{file} 缺少必填列：{columns}</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="51"/>
        <source>{file}: the column {column!r} is not one of this register&apos;s</source>
        <translation>{file}：列 {column!r} 不属于该登记表</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="54"/>
        <source>{file}: the column {column!r} appears twice</source>
        <translation>{file}：列 {column!r} 重复出现</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="57"/>
        <source>{actor} may not import into the registers: administrators and safety managers do</source>
        <translation>{actor} 无权导入登记表：仅管理员和安全经理可以</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="60"/>
        <source>{actor} is not an active user</source>
        <translation>{actor} 不是有效用户</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="61"/>
        <source>{file}: {rejected} of {rows} rows are invalid; nothing was written (fix them, or import the valid rows only)</source>
        <translation>{file}：{rows} 行中有 {rejected} 行无效，未写入任何数据（请修正，或仅导入有效行）</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="68"/>
        <source>required, but empty</source>
        <translation>必填，但为空</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="69"/>
        <source>too long: {length} characters, at most {max}</source>
        <translation>过长：{length} 个字符，最多 {max} 个</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="70"/>
        <source>{value!r} is not a code: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, at most 64</source>
        <translation>{value!r} 不是有效编码：只能用字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;，最多 64 个</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="73"/>
        <source>{value!r} is not a date (2026-01-31)</source>
        <translation>{value!r} 不是日期（如 2026-01-31）</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="74"/>
        <source>{value!r} is not a number</source>
        <translation>{value!r} 不是数字</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="75"/>
        <source>{value!r} is not yes or no</source>
        <translation>{value!r} 不是“是”或“否”</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="76"/>
        <source>{value!r} is not one of {choices}</source>
        <translation>{value!r} 不在可选值 {choices} 中</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="77"/>
        <source>{value!r} is already in row {first}</source>
        <translation>{value!r} 已在第 {first} 行出现</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="78"/>
        <source>{value!r} is not in the register</source>
        <translation>{value!r} 不在登记表中</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="79"/>
        <source>{value} is before {other}</source>
        <translation>{value} 早于 {other}</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="80"/>
        <source>expired on {value}: imported, and flagged</source>
        <translation>已于 {value} 过期：已导入并标记</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="81"/>
        <source>{value!r} is not a time of day (08:00)</source>
        <translation>{value!r} 不是时刻（如 08:00）</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="82"/>
        <source>the tag {tag} is already on {code}</source>
        <translation>标签 {tag} 已用于 {code}</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="83"/>
        <source>{code!r} is not in the equipment register</source>
        <translation>{code!r} 不在巡检设备登记表中</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="86"/>
        <source>{user!r} is not an active user</source>
        <translation>{user!r} 不是有效用户</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="87"/>
        <source>a checklist has 1 to {max} questions, each at most 200 characters</source>
        <translation>检查项须为 1 至 {max} 条，每条最多 200 个字符</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="90"/>
        <source>a route needs 1 to {max} points, 1 to 24 rounds a day and 5 to 720 minutes a round</source>
        <translation>路线须有 1 至 {max} 个巡检点，每日 1 至 24 轮，每轮 5 至 720 分钟</translation>
    </message>
</context>
<context>
    <name>RegisterFilesBar</name>
    <message>
        <location filename="../../views/register_files.py" line="169"/>
        <source>Template…</source>
        <translation>模板…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="170"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="171"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="172"/>
        <source>Valid rows only</source>
        <translation>仅导入有效行</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="173"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="173"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="173"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="186"/>
        <source>Save the register&apos;s template</source>
        <translation>保存登记表模板</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="187"/>
        <source>Import into the register</source>
        <translation>导入登记表</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="188"/>
        <source>Export the register</source>
        <translation>导出登记表</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="193"/>
        <source>Excel or CSV (*.xlsx *.csv)</source>
        <translation>Excel 或 CSV (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="197"/>
        <source>Excel (*.xlsx)</source>
        <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="209"/>
        <source>Template written</source>
        <translation>模板已保存</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="218"/>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="222"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="243"/>
        <source>Writing rows…</source>
        <translation>正在写入数据行…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="245"/>
        <source>Checking rows…</source>
        <translation>正在校验数据行…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="247"/>
        <source>{done} rows checked…</source>
        <translation>已校验 {done} 行…</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="258"/>
        <source>{file}: {rows} rows, {inserted} added, {updated} updated, {rejected} rejected, {flagged} flagged</source>
        <translation>{file}：共 {rows} 行，新增 {inserted}，更新 {updated}，拒绝 {rejected}，标记 {flagged}</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="288"/>
        <source>not imported</source>
        <translation>未导入</translation>
    </message>
    <message>
        <location filename="../../views/register_files.py" line="289"/>
        <source>imported, flagged</source>
        <translation>已导入，已标记</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <location filename="../../views/review_view.py" line="32"/>
        <source>operating unit</source>
        <translation>基层单位</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="33"/>
        <source>safety department</source>
        <translation>安全管理部门</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="34"/>
        <source>senior leader</source>
        <translation>主管领导</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="106"/>
        <source>Choose an approval in the list first.</source>
        <translation>请先在列表中选择一项审批。</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="112"/>
        <source>Finding recorded</source>
        <translation>已记录问题</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="112"/>
        <source>Accepted</source>
        <translation>已认可</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="127"/>
        <source>Green-channel reviews (%1, %2 overdue)</source>
        <translation>绿色通道复核（%1 项，%2 项逾期）</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="141"/>
        <location filename="../../views/review_view.py" line="161"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="157"/>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="158"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="166"/>
        <source>%1, overdue by %2 days</source>
        <translation>%1，已逾期 %2 天</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="167"/>
        <source>%1, overdue</source>
        <translation>%1，已逾期</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="172"/>
        <source>Urgent permits approved on the green channel carried the shift lead&apos;s signature for other levels. Look at each the next day: accept it, or record a finding. Both need a note. The green channel skipped only those signatures: the gas test, certificates, conflicts and every other blocking rule were checked as for any permit.</source>
        <translation>经绿色通道批准的紧急作业票，由值班长代签了其他层级。请在次日逐项复核：认可，或记录问题；两者都需填写说明。绿色通道只省去了这些签字：气体检测、证书、作业冲突等所有否决性规则均与普通作业票一样经过核查。</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="187"/>
        <source>Review by</source>
        <translation>复核截止</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="188"/>
        <source>Warnings noted at approval</source>
        <translation>审批时的警告</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="180"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="181"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="182"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="183"/>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="184"/>
        <source>Approved at</source>
        <translation>批准时间</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="185"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="186"/>
        <source>Signatures it stood for</source>
        <translation>代签的层级</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="191"/>
        <source>Review note (what you looked at, or what you found)</source>
        <translation>复核说明（查看了什么，或发现了什么问题）</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="192"/>
        <source>Accept</source>
        <translation>认可</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="193"/>
        <source>Record a finding</source>
        <translation>记录问题</translation>
    </message>
    <message>
        <location filename="../../views/review_view.py" line="197"/>
        <source>Green-channel reviews</source>
        <translation>绿色通道复核</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../views/i18n.py" line="83"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="84"/>
        <source>Shift lead</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="85"/>
        <source>Incident commander</source>
        <translation>现场指挥</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="86"/>
        <source>Safety manager</source>
        <translation>安全经理</translation>
    </message>
    <message>
        <location filename="../../views/i18n.py" line="87"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>RoundsView</name>
    <message>
        <location filename="../../views/rounds_view.py" line="116"/>
        <source>As of %1 (%2)</source>
        <translation>截至 %1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="127"/>
        <source>Inspection rounds today, %1</source>
        <translation>今日巡检，%1</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="130"/>
        <source>The rounds could not be read: %1</source>
        <translation>无法读取巡检记录：%1</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="177"/>
        <source>incomplete</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="178"/>
        <source>under way</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="179"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="180"/>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="195"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="195"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="238"/>
        <source>Tag not in the register</source>
        <translation>标签未登记</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="254"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="255"/>
        <source>Areas</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="256"/>
        <source>Rounds</source>
        <translation>巡检轮次</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="257"/>
        <source>Points of the selected round</source>
        <translation>所选轮次的巡检点</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="258"/>
        <source>Suspicious scans</source>
        <translation>可疑扫码</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="260"/>
        <location filename="../../views/rounds_view.py" line="264"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="260"/>
        <source>Scanned</source>
        <translation>已扫码</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="260"/>
        <location filename="../../views/rounds_view.py" line="268"/>
        <source>Late</source>
        <translation>迟到</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="260"/>
        <location filename="../../views/rounds_view.py" line="269"/>
        <source>Missed</source>
        <translation>漏检</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="260"/>
        <source>Suspicious</source>
        <translation>可疑</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="265"/>
        <source>Route</source>
        <translation>路线</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="266"/>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="267"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="270"/>
        <source>In order</source>
        <translation>按顺序</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="271"/>
        <location filename="../../views/rounds_view.py" line="275"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="275"/>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="275"/>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="275"/>
        <source>Scanned at</source>
        <translation>扫码时间</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="275"/>
        <location filename="../../views/rounds_view.py" line="278"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="278"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="278"/>
        <source>What</source>
        <translation>报警内容</translation>
    </message>
    <message>
        <location filename="../../views/rounds_view.py" line="278"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>SafetyCodes</name>
    <message>
        <location filename="../../views/pdf_button.py" line="19"/>
        <source>Not a badge or permit code: {text}</source>
        <translation>不是胸卡码或作业票码：{text}</translation>
    </message>
    <message>
        <location filename="../../views/pdf_button.py" line="20"/>
        <source>INVALID CODE for {ident}: forged, altered or from another plant. Do not admit.</source>
        <translation>{ident} 的码无效：伪造、篡改或来自其他厂区。禁止放行。</translation>
    </message>
    <message>
        <location filename="../../views/pdf_button.py" line="23"/>
        <source>Valid code, but {ident} is not on record here. Do not admit.</source>
        <translation>码有效，但此处无 {ident} 的记录。禁止放行。</translation>
    </message>
    <message>
        <location filename="../../views/pdf_button.py" line="24"/>
        <source>This console has no badge key: store it with `python main.py secret set badge plant`</source>
        <translation>本控制台没有胸卡密钥：请用 `python main.py secret set badge plant` 保存</translation>
    </message>
    <message>
        <location filename="../../views/pdf_button.py" line="73"/>
        <source>Writing the PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="22"/>
        <source>SUSPENDED: the work must stop</source>
        <translation>已暂停：必须停止作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="23"/>
        <source>CLOSED: this paper permit is no longer valid</source>
        <translation>已关闭：此纸质作业票已失效</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="24"/>
        <source>CANCELLED: this paper permit is no longer valid</source>
        <translation>已取消：此纸质作业票已失效</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="25"/>
        <source>EXPIRED: this paper permit is no longer valid</source>
        <translation>已过期：此纸质作业票已失效</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="26"/>
        <source>REJECTED: no work under this permit</source>
        <translation>已驳回：不得凭此票作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="27"/>
        <source>NOT APPROVED YET: no work under this permit</source>
        <translation>尚未批准：不得凭此票作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="28"/>
        <source>Approved, work not started</source>
        <translation>已批准，尚未开始作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="29"/>
        <source>Active: work allowed</source>
        <translation>作业中：允许作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="33"/>
        <source>performs the work</source>
        <translation>作业人</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="34"/>
        <source>supervises</source>
        <translation>监护人</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="38"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="39"/>
        <source>work started</source>
        <translation>开始作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="40"/>
        <source>paused</source>
        <translation>作业暂停</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="41"/>
        <source>resumed</source>
        <translation>恢复作业</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="42"/>
        <source>suspended</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="43"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="44"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="48"/>
        <location filename="../../views/safety_code_views.py" line="78"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="49"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="50"/>
        <location filename="../../views/safety_code_views.py" line="80"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="51"/>
        <source>Role on the permit</source>
        <translation>在票中的角色</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="52"/>
        <location filename="../../views/safety_code_views.py" line="82"/>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="53"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="79"/>
        <source>Status now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="85"/>
        <source>Supervisor</source>
        <translation>监护人</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="86"/>
        <source>Workers</source>
        <translation>作业人员</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="93"/>
        <source>Last change</source>
        <translation>最近变更</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="97"/>
        <source>Checked</source>
        <translation>查验时间</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="106"/>
        <source>Permits authorised to work under</source>
        <translation>可凭以作业的作业票</translation>
    </message>
    <message>
        <location filename="../../views/safety_code_views.py" line="114"/>
        <source>none now: no approved or active permit names this worker</source>
        <translation>当前无：没有已批准或作业中的作业票列有此人</translation>
    </message>
</context>
<context>
    <name>SessionRefused</name>
    <message>
        <location filename="../../views/session_words.py" line="17"/>
        <source>Not carried out: no login session. Log in again.</source>
        <translation>未执行：没有登录会话，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../views/session_words.py" line="20"/>
        <source>Not carried out: the login of %1 is not valid here. Log in again.</source>
        <translation>未执行：%1 的登录在此无效，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../views/session_words.py" line="23"/>
        <source>Not carried out: the user %1 no longer exists.</source>
        <translation>未执行：用户 %1 已不存在。</translation>
    </message>
    <message>
        <location filename="../../views/session_words.py" line="24"/>
        <source>Not carried out: the user %1 has been disabled.</source>
        <translation>未执行：用户 %1 已被停用。</translation>
    </message>
    <message>
        <location filename="../../views/session_words.py" line="25"/>
        <source>Not carried out: the role of %1 changed since the login. Log in again.</source>
        <translation>未执行：%1 的角色在登录后已变更，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../views/session_words.py" line="28"/>
        <source>Not carried out: %1 cannot be checked while the database is unreachable.</source>
        <translation>未执行：数据库不可达，无法核验 %1。</translation>
    </message>
    <message>
        <location filename="../../views/session_words.py" line="31"/>
        <source>Not carried out: %1 is not a verified user of this cockpit.</source>
        <translation>未执行：%1 不是本驾驶舱已核验的用户。</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../views/handover_view.py" line="125"/>
        <source>Sign the shift handover</source>
        <translation>交接班签字</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="128"/>
        <source>Outgoing lead</source>
        <translation>交班值班长</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="128"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="128"/>
        <source>Incoming lead</source>
        <translation>接班值班长</translation>
    </message>
    <message>
        <location filename="../../views/handover_view.py" line="134"/>
        <source>Signing…</source>
        <translation>签字中…</translation>
    </message>
</context>
<context>
    <name>SiteMap</name>
    <message>
        <location filename="../../widgets/site_map.py" line="162"/>
        <source>STOPPED</source>
        <translation>已停工</translation>
    </message>
</context>
<context>
    <name>SitePlanView</name>
    <message>
        <location filename="../../views/site_plan_view.py" line="50"/>
        <source>Not a PNG or SVG plan: {reason}</source>
        <translation>不是可读取的 PNG 或 SVG 平面图：{reason}</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="51"/>
        <source>The plan is too large: {size_mb} MB, at most {max_mb} MB</source>
        <translation>平面图过大：{size_mb} MB，最大 {max_mb} MB</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="54"/>
        <source>Site {site} has no plan yet: load the plan image first</source>
        <translation>厂区 {site} 尚无平面图：请先载入平面图</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="57"/>
        <source>The scale must be a positive number of metres per pixel</source>
        <translation>比例尺必须是正数（米/像素）</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="60"/>
        <source>An area&apos;s polygon needs at least 3 points ({count} clicked)</source>
        <translation>区域多边形至少需要 3 个点（已点击 {count} 个）</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="63"/>
        <source>At most {max} points per polygon</source>
        <translation>每个多边形最多 {max} 个点</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="64"/>
        <source>The point ({x}, {y}) lies outside the plan</source>
        <translation>点 ({x}, {y}) 在平面图之外</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="186"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="187"/>
        <source>Scale</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="188"/>
        <source>Metres per pixel</source>
        <translation>米/像素</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="189"/>
        <source>Distance between two points (m)</source>
        <translation>两点间实际距离（米）</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="190"/>
        <source>Areas on the plan</source>
        <translation>平面图上的区域</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="192"/>
        <source>Load plan (PNG or SVG)…</source>
        <translation>载入平面图（PNG 或 SVG）…</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="193"/>
        <source>Set scale</source>
        <translation>设定比例尺</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="194"/>
        <source>Measure two points</source>
        <translation>两点测定比例尺</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="195"/>
        <source>Draw polygon</source>
        <translation>绘制多边形</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="196"/>
        <source>Undo point</source>
        <translation>撤销上一点</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="197"/>
        <source>Close and save</source>
        <translation>闭合并保存</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="198"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="199"/>
        <source>Delete polygon</source>
        <translation>删除多边形</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="264"/>
        <source>drawn</source>
        <translation>已绘制</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="264"/>
        <source>not drawn</source>
        <translation>未绘制</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="299"/>
        <source>No plan loaded: the map shows a plain plan</source>
        <translation>未载入平面图：地图显示空白底图</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="302"/>
        <source>%1 × %2 px, %3 × %4 m</source>
        <translation>%1 × %2 像素，%3 × %4 米</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="311"/>
        <source>Click the corners of the area on the plan, then Close and save. Points: %1</source>
        <translation>在平面图上依次点击区域的各个角点，然后点“闭合并保存”。已点：%1</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="314"/>
        <source>Click two points on the plan whose distance you know</source>
        <translation>在平面图上点击两个已知实际距离的点</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="381"/>
        <source>Load the site plan</source>
        <translation>载入厂区平面图</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="382"/>
        <source>Site plans (*.png *.svg)</source>
        <translation>厂区平面图 (*.png *.svg)</translation>
    </message>
    <message>
        <location filename="../../views/site_plan_view.py" line="415"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>SourceWords</name>
    <message>
        <location filename="../../views/source_words.py" line="30"/>
        <source>worker {id}</source>
        <translation>人员 {id}</translation>
    </message>
    <message>
        <location filename="../../views/source_words.py" line="32"/>
        <source>permit {id}</source>
        <translation>作业票 {id}</translation>
    </message>
    <message>
        <location filename="../../views/source_words.py" line="34"/>
        <source>stop-work command {id}</source>
        <translation>停工指令 {id}</translation>
    </message>
    <message>
        <location filename="../../views/source_words.py" line="38"/>
        <source>gate of {place}</source>
        <translation>{place}门禁</translation>
    </message>
    <message>
        <location filename="../../views/source_words.py" line="42"/>
        <source>detector {device}, {channel}</source>
        <translation>探测器 {device}，{channel}</translation>
    </message>
    <message>
        <location filename="../../views/source_words.py" line="46"/>
        <source>detector {device}</source>
        <translation>探测器 {device}</translation>
    </message>
    <message>
        <location filename="../../views/source_words.py" line="52"/>
        <source>{name} ({id})</source>
        <translation>{name}（{id}）</translation>
    </message>
</context>
<context>
    <name>SparkplugMapView</name>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="45"/>
        <source>Entry {entry}: {field} is empty</source>
        <translation>第 {entry} 条：{field}为空</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="46"/>
        <source>Entry {entry}: {field} {value!r} is not allowed: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</source>
        <translation>第 {entry} 条：{field} {value!r} 不允许：只能用字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="49"/>
        <source>Entry {entry}: {channel} is measured in {canonical}, not {unit!r}</source>
        <translation>第 {entry} 条：{channel} 的单位是 {canonical}，不是 {unit!r}</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="52"/>
        <source>Entry {entry}: {channel} is not a known gas: give its unit</source>
        <translation>第 {entry} 条：{channel} 不是已知气体，请填写单位</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="55"/>
        <source>Entry {entry}: {name} {value:g} disagrees with the configuration&apos;s {other:g}</source>
        <translation>第 {entry} 条：{name} {value:g} 与配置文件的 {other:g} 不一致</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="58"/>
        <source>Entry {entry}: limits refused: {reason}</source>
        <translation>第 {entry} 条：限值不成立：{reason}</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="61"/>
        <source>Stop-work target {entry}: {field} is empty</source>
        <translation>第 {entry} 个停工目标：{field}为空</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="64"/>
        <source>Entry {entry}: {field} is longer than {max} characters</source>
        <translation>第 {entry} 条：{field}超过 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="69"/>
        <source>Group</source>
        <translation>组</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="70"/>
        <source>Edge node</source>
        <translation>边缘节点</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="71"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="72"/>
        <source>Metric</source>
        <translation>测点</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="73"/>
        <source>Site</source>
        <translation>厂区</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="74"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="75"/>
        <source>Detector</source>
        <translation>探测器</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="76"/>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="77"/>
        <location filename="../../views/sparkplug_map_view.py" line="250"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="78"/>
        <source>Command ID metric</source>
        <translation>指令编号测点</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="79"/>
        <source>Acknowledgement metric</source>
        <translation>回执测点</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="81"/>
        <source>{field}: {text!r} is not a number</source>
        <translation>{field}：{text!r} 不是数字</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="154"/>
        <source>Entry</source>
        <translation>映射条目</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="158"/>
        <source>empty: the edge node&apos;s own metrics</source>
        <translation>留空：边缘节点自身的测点</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="161"/>
        <source>empty: the Sparkplug device&apos;s ID</source>
        <translation>留空：使用 Sparkplug 设备的 ID</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="164"/>
        <source>a known gas: its own unit</source>
        <translation>已知气体：使用其标准单位</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="167"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="247"/>
        <source>Limits</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="253"/>
        <source>Tried in this order after the configuration file&apos;s entries; the first entry that matches a metric wins. Patterns as in a shell: * and ?</source>
        <translation>在配置文件的条目之后按此顺序匹配，测点以第一个匹配的条目为准。通配符同命令行：* 和 ?</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="260"/>
        <source>Metrics seen but mapped nowhere</source>
        <translation>已收到但未映射的测点</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="263"/>
        <source>Add as new entry</source>
        <translation>添加为新条目</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="264"/>
        <source>Change selected entry</source>
        <translation>修改所选条目</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="265"/>
        <location filename="../../views/sparkplug_stops_view.py" line="123"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="266"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="267"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="268"/>
        <source>Save mapping</source>
        <translation>保存映射</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="269"/>
        <source>Map this metric…</source>
        <translation>映射此测点…</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="270"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="329"/>
        <source>Not saved yet: %1 entries</source>
        <translation>尚未保存：共 %1 条</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_map_view.py" line="387"/>
        <location filename="../../views/sparkplug_stops_view.py" line="203"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="98"/>
        <source>Stop metric (Boolean)</source>
        <translation>停工测点（布尔）</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="103"/>
        <source>Stop-work target</source>
        <translation>停工目标</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="105"/>
        <source>A stop or resume of the area is also written to this Sparkplug device (empty device: the edge node), after the configuration file&apos;s targets.</source>
        <translation>区域停工或复工时，同时写入此 Sparkplug 设备（设备留空：边缘节点本身），在配置文件的目标之后。</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="112"/>
        <source>empty: the edge node itself</source>
        <translation>留空：边缘节点本身</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="115"/>
        <source>empty: not sent</source>
        <translation>留空：不发送</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="118"/>
        <source>empty: no acknowledgement read</source>
        <translation>留空：不读取回执</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="121"/>
        <source>Add as new target</source>
        <translation>添加为新目标</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="122"/>
        <source>Change selected target</source>
        <translation>修改所选目标</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="124"/>
        <source>Save targets</source>
        <translation>保存停工目标</translation>
    </message>
    <message>
        <location filename="../../views/sparkplug_stops_view.py" line="159"/>
        <source>Not saved yet: %1 targets</source>
        <translation>尚未保存：共 %1 个目标</translation>
    </message>
</context>
<context>
    <name>StartupView</name>
    <message>
        <location filename="../../views/shell.py" line="84"/>
        <source>High-risk operations cockpit</source>
        <translation>高危作业驾驶舱</translation>
    </message>
    <message>
        <location filename="../../views/shell.py" line="86"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../views/shell.py" line="97"/>
        <source>Opening the database</source>
        <translation>正在打开数据库</translation>
    </message>
    <message>
        <location filename="../../views/shell.py" line="98"/>
        <source>Starting the broker</source>
        <translation>正在启动消息代理</translation>
    </message>
    <message>
        <location filename="../../views/shell.py" line="99"/>
        <source>Connecting the live link</source>
        <translation>正在连接实时链路</translation>
    </message>
    <message>
        <location filename="../../views/shell.py" line="100"/>
        <source>Starting the plant simulator</source>
        <translation>正在启动厂区模拟器</translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <location filename="../../widgets/badges.py" line="136"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="137"/>
        <source>STALE</source>
        <translation>数据过期</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="138"/>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="139"/>
        <source>FAULT</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="140"/>
        <source>STOPPED</source>
        <translation>已停工</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="141"/>
        <source>WORKING</source>
        <translation>作业中</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="142"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="143"/>
        <source>UNACK</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="144"/>
        <source>ACKED</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="145"/>
        <source>RTN</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="146"/>
        <source>SHELVED</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="147"/>
        <source>OOS</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="148"/>
        <source>HIHI</source>
        <translation>高高</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="149"/>
        <source>HI</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="150"/>
        <source>LO</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../widgets/badges.py" line="151"/>
        <source>LOLO</source>
        <translation>低低</translation>
    </message>
</context>
<context>
    <name>TasksView</name>
    <message>
        <location filename="../../views/tasks_view.py" line="87"/>
        <source>Tasks (%1): paperwork waiting past its time</source>
        <translation>待办事项（%1）：超时未办的审批事务</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="107"/>
        <source>Approvals past their deadline go up the escalation chain. They are tasks, not alarms: they do not sound and are not counted in the alarm figures. Decide them in Permit approval.</source>
        <translation>超过审批期限的作业票按升级链逐级上报。它们是待办事项，不是报警：不鸣响，也不计入报警统计。请在“作业票审批”中处理。</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="113"/>
        <source>Permit</source>
        <translation>作业票</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="114"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="115"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="116"/>
        <source>Approval deadline</source>
        <translation>审批期限</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="117"/>
        <source>Overdue by</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="118"/>
        <source>Escalated to</source>
        <translation>已升级至</translation>
    </message>
    <message>
        <location filename="../../views/tasks_view.py" line="124"/>
        <source>Tasks</source>
        <translation>待办</translation>
    </message>
</context>
<context>
    <name>TrendPane</name>
    <message>
        <location filename="../../views/trends_view.py" line="101"/>
        <source>Remove this trend</source>
        <translation>移除此趋势</translation>
    </message>
    <message>
        <location filename="../../views/trends_view.py" line="102"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/trends_view.py" line="103"/>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <location filename="../../widgets/trend_plot.py" line="105"/>
        <source>Live</source>
        <extracomment>At most this many shaded STALE bands are drawn (older ones are merged away).</extracomment>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../widgets/trend_plot.py" line="107"/>
        <source>Resume following the newest readings</source>
        <translation>恢复跟随最新读数</translation>
    </message>
    <message>
        <location filename="../../widgets/trend_plot.py" line="435"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
</context>
<context>
    <name>TrendsView</name>
    <message>
        <location filename="../../views/trends_view.py" line="379"/>
        <source>No readings from %1 / %2 yet.</source>
        <translation>%1 / %2 尚无读数。</translation>
    </message>
    <message>
        <location filename="../../views/trends_view.py" line="392"/>
        <source>Trends of %1 / %2</source>
        <translation>%1 / %2 的趋势</translation>
    </message>
    <message>
        <location filename="../../views/trends_view.py" line="436"/>
        <source>Add trend</source>
        <translation>添加趋势</translation>
    </message>
    <message>
        <location filename="../../views/trends_view.py" line="437"/>
        <source>No readings yet: trends appear when detectors report.</source>
        <translation>尚无读数：检测仪上报后将显示趋势。</translation>
    </message>
</context>
<context>
    <name>UsersView</name>
    <message>
        <location filename="../../views/users_view.py" line="42"/>
        <source>{actor} is not an active administrator</source>
        <translation>{actor} 不是在用的管理员</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="43"/>
        <source>Unknown user or wrong password</source>
        <translation>用户不存在或密码错误</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="44"/>
        <source>The database already has users</source>
        <translation>数据库中已有用户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="45"/>
        <source>The password is too short: at least {min} characters</source>
        <translation>密码太短：至少 {min} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="48"/>
        <source>The password is too long: at most {max} characters</source>
        <translation>密码太长：最多 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="51"/>
        <source>The password must not be the user name</source>
        <translation>密码不得与用户名相同</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="52"/>
        <source>User name {username!r} not allowed: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, at most {max}</source>
        <translation>用户名 {username!r} 不可用：只能用字母、数字、“.”、“_”、“-”，最多 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="55"/>
        <source>The name is too long: at most {max} characters</source>
        <translation>姓名太长：最多 {max} 个字符</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="58"/>
        <source>The user {username} exists already</source>
        <translation>用户 {username} 已存在</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="59"/>
        <source>There is no user {username}</source>
        <translation>没有用户 {username}</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="60"/>
        <source>There is no worker {worker} in the register</source>
        <translation>人员名册中没有 {worker}</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="61"/>
        <source>The worker {worker} is bound to the user {other}</source>
        <translation>人员 {worker} 已绑定到用户 {other}</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="62"/>
        <source>This role does not sign permits: no approval level</source>
        <translation>该角色不签批作业票：不设审批层级</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="65"/>
        <source>{username} is the last active administrator</source>
        <translation>{username} 是最后一个在用的管理员</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="66"/>
        <source>You cannot disable or demote your own account</source>
        <translation>不能停用或降级自己的账户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="146"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="147"/>
        <location filename="../../views/users_view.py" line="157"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="148"/>
        <location filename="../../views/users_view.py" line="158"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="149"/>
        <location filename="../../views/users_view.py" line="159"/>
        <source>Approval level</source>
        <translation>审批层级</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="150"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="151"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="154"/>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="156"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="160"/>
        <source>Worker ID</source>
        <translation>人员编号</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="161"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="162"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="165"/>
        <source>at least %1 characters</source>
        <translation>至少 %1 个字符</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="166"/>
        <source>empty: not bound</source>
        <translation>留空：不绑定</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="168"/>
        <source>Create user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="169"/>
        <source>Save role and level</source>
        <translation>保存角色和层级</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="170"/>
        <source>Bind worker</source>
        <translation>绑定人员</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="171"/>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="172"/>
        <source>Disable account</source>
        <translation>停用账户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="173"/>
        <source>Enable account</source>
        <translation>启用账户</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="185"/>
        <source>none (does not sign)</source>
        <translation>无（不签批）</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="212"/>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="212"/>
        <source>DISABLED</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="252"/>
        <source>The two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="300"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../views/users_view.py" line="305"/>
        <source>Done: %1</source>
        <translation>已完成：%1</translation>
    </message>
</context>
<context>
    <name>ViewWindow</name>
    <message>
        <location filename="../../views/view_window.py" line="149"/>
        <source>Move to screen %1 (%2)</source>
        <translation>移到屏幕 %1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/view_window.py" line="159"/>
        <source>Tear off into a window</source>
        <translation>拆分为独立窗口</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <location filename="../../views/view_context.py" line="95"/>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="96"/>
        <source>Site map</source>
        <translation>厂区地图</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="97"/>
        <source>Gas trends</source>
        <translation>气体趋势</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="98"/>
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="99"/>
        <source>Commands</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="100"/>
        <source>Permit approval</source>
        <translation>作业票审批</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="101"/>
        <source>Tasks</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="102"/>
        <source>Green-channel reviews</source>
        <translation>绿色通道复核</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="103"/>
        <source>Active permits</source>
        <translation>进行中的作业票</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="104"/>
        <source>Contractors</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="105"/>
        <source>Contractor register</source>
        <translation>承包商名册</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="106"/>
        <source>Worker register</source>
        <translation>人员名册</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="107"/>
        <source>Shift handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="108"/>
        <source>Alarm performance</source>
        <translation>报警绩效</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="109"/>
        <source>Near misses</source>
        <translation>未遂事件</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="110"/>
        <source>Monthly report</source>
        <translation>月度报告</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="111"/>
        <source>Inspection rounds</source>
        <translation>巡检</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="112"/>
        <source>Defect work orders</source>
        <translation>缺陷工单</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="113"/>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="114"/>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="115"/>
        <source>Sites and areas</source>
        <translation>厂区与区域</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="116"/>
        <source>Site plan</source>
        <translation>厂区平面图</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="117"/>
        <source>Detectors</source>
        <translation>探测器</translation>
    </message>
    <message>
        <location filename="../../views/view_context.py" line="118"/>
        <source>Inspection register</source>
        <translation>巡检登记</translation>
    </message>
    <message>
        <location filename="../../views/view_window.py" line="41"/>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <location filename="../../views/view_window.py" line="44"/>
        <source>This view could not be built: %1</source>
        <translation>此视图无法创建：%1</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="424"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../views/main_window.py" line="426"/>
        <source>High-risk operations cockpit</source>
        <translation>高危作业驾驶舱</translation>
    </message>
    <message>
        <location filename="../../views/live_records.py" line="341"/>
        <source>Your role may not %1.</source>
        <translation>您的角色无权%1。</translation>
    </message>
    <message>
        <location filename="../../views/live_records.py" line="347"/>
        <source>SUSPENDED</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../views/live_records.py" line="348"/>
        <source>approved, not started</source>
        <translation>已批准，未开始</translation>
    </message>
</context>
<context>
    <name>WorkOrdersView</name>
    <message>
        <location filename="../../views/work_orders_view.py" line="119"/>
        <source>The work orders could not be read: %1</source>
        <translation>无法读取工单：%1</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="136"/>
        <source>Select a work order first.</source>
        <translation>请先选择一张工单。</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="142"/>
        <source>Work order %1 saved.</source>
        <translation>工单 %1 已保存。</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="162"/>
        <source>Repaired by %1: %2</source>
        <translation>%1 已维修：%2</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="166"/>
        <source>Verified by %1 at %2: %3</source>
        <translation>%1 于 %2 验收：%3</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="212"/>
        <source>The photo file store could not be reached</source>
        <translation>无法连接照片文件库</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="249"/>
        <source>nobody: name an owner in the register</source>
        <translation>无人负责：请在台账中指定责任人</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="278"/>
        <source>Defect work orders</source>
        <translation>缺陷工单</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="279"/>
        <source>Show closed orders</source>
        <translation>显示已关闭工单</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="280"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="281"/>
        <source>Note: what was repaired, or what was checked on site</source>
        <translation>说明：修了什么，或现场核查了什么</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="282"/>
        <source>Report repaired</source>
        <translation>报告已维修</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="283"/>
        <source>Verify and close</source>
        <translation>验收并关闭</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="286"/>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="287"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="288"/>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="289"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="290"/>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="291"/>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="292"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="293"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="294"/>
        <source>Escalated to</source>
        <translation>已升级至</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="295"/>
        <source>Found by</source>
        <translation>发现人</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="296"/>
        <source>Found at</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <location filename="../../views/work_orders_view.py" line="297"/>
        <source>Defect</source>
        <translation>缺陷</translation>
    </message>
</context>
<context>
    <name>WorkerRegisterView</name>
    <message>
        <location filename="../../views/worker_register_view.py" line="116"/>
        <source>Search or scan: ID, name, certificate, contractor, badge, permit</source>
        <translation>搜索或扫码：编号、姓名、证书、承包商、胸卡、作业票</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="118"/>
        <source>Print badges of the listed workers…</source>
        <translation>打印所列人员的胸卡…</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="120"/>
        <source>Worker</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="120"/>
        <location filename="../../views/worker_register_view.py" line="127"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="120"/>
        <location filename="../../views/worker_register_view.py" line="128"/>
        <location filename="../../views/worker_register_view.py" line="321"/>
        <source>Contractor</source>
        <translation>承包商</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="120"/>
        <location filename="../../views/worker_register_view.py" line="129"/>
        <location filename="../../views/worker_register_view.py" line="307"/>
        <source>Trade</source>
        <translation>工种</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="120"/>
        <location filename="../../views/worker_register_view.py" line="308"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="122"/>
        <source>Edit (administrators and safety managers)</source>
        <translation>编辑（管理员和安全经理）</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="126"/>
        <source>Worker ID</source>
        <translation>人员编号</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="130"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="131"/>
        <source>Certificate number</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="132"/>
        <source>Certificate trade</source>
        <translation>证书工种</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="133"/>
        <location filename="../../views/worker_register_view.py" line="307"/>
        <source>Issuer</source>
        <translation>发证机关</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="134"/>
        <location filename="../../views/worker_register_view.py" line="307"/>
        <source>Valid from</source>
        <translation>有效期自</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="135"/>
        <location filename="../../views/worker_register_view.py" line="308"/>
        <source>Valid to</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="136"/>
        <location filename="../../views/worker_register_view.py" line="308"/>
        <source>Review due</source>
        <translation>复审到期</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="137"/>
        <location filename="../../views/worker_register_view.py" line="316"/>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="138"/>
        <source>Training date</source>
        <translation>培训日期</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="139"/>
        <location filename="../../views/worker_register_view.py" line="316"/>
        <source>Authorised scope</source>
        <translation>授权范围</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="140"/>
        <source>Exam passed</source>
        <translation>考试合格</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="141"/>
        <source>Exam score</source>
        <translation>考试成绩</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="142"/>
        <source>Exam date</source>
        <translation>考试日期</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="143"/>
        <source>Violation points</source>
        <translation>违章记分</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="144"/>
        <source>Violation date</source>
        <translation>违章日期</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="145"/>
        <source>Violation description</source>
        <translation>违章描述</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="149"/>
        <source>Save worker</source>
        <translation>保存人员</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="150"/>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="151"/>
        <source>Save certificate</source>
        <translation>保存证书</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="152"/>
        <source>Add training</source>
        <translation>添加培训</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="153"/>
        <source>Record exam</source>
        <translation>记录考试</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="154"/>
        <source>Record violation</source>
        <translation>记录违章</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="159"/>
        <location filename="../../views/worker_register_view.py" line="183"/>
        <location filename="../../views/worker_register_view.py" line="195"/>
        <location filename="../../views/worker_register_view.py" line="288"/>
        <source>own staff</source>
        <translation>本厂员工</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="197"/>
        <location filename="../../views/worker_register_view.py" line="289"/>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="197"/>
        <location filename="../../views/worker_register_view.py" line="289"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="240"/>
        <source>Badges saved to %1</source>
        <translation>胸卡已保存到 %1</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="290"/>
        <source>{employer} · trade {trade} · phone {phone} · {state}</source>
        <translation>{employer} · 工种 {trade} · 电话 {phone} · {state}</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="294"/>
        <source>Admission exam: none on record</source>
        <translation>入场考试：无记录</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="296"/>
        <source>Admission exam: {result}, score {score}, on {on}</source>
        <translation>入场考试：{result}，成绩 {score}，日期 {on}</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="297"/>
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="297"/>
        <source>FAILED</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="305"/>
        <source>Certificates</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="307"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="308"/>
        <source>Review</source>
        <translation>复审</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="314"/>
        <source>Trainings</source>
        <translation>培训</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="316"/>
        <location filename="../../views/worker_register_view.py" line="321"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="319"/>
        <source>Violations</source>
        <translation>违章</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="321"/>
        <source>Points</source>
        <translation>记分</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="321"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="322"/>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../views/worker_register_view.py" line="330"/>
        <source>DISABLED: this worker may not work here</source>
        <translation>已停用：此人不得在此作业</translation>
    </message>
</context>
</TS>
